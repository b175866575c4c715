package dev.kbyoc.runtime;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An external module holding one partitioned function as a {@link SubgraphCodec} payload, run
 * with the host kernels. Two flavours share it: embedded constants (as a kmodel embeds its
 * weights: the test class path's {@code hostembed} codegen, and the {@code kendryte} blobs of
 * packages built by kbyoc's earlier host-kernel placeholder, which the Kendryte loader still
 * reads) and {@code json} (constants referenced by name and handed over from the params at init,
 * as TVM's JSON runtime does). Blob: magic {@code KBXM}, u32 version 1, symbol, u32 payload size,
 * payload.
 */
public final class SubgraphModule implements RuntimeModule {
  /** The type key of the earlier placeholder's blobs (now loaded by the Kendryte backend's loader). */
  public static final String KENDRYTE = "kendryte";
  public static final String JSON = "json";
  private static final byte[] MAGIC = {'K', 'B', 'X', 'M'};

  private final String typeKey;
  private final String symbol;
  private final byte[] payload;
  private final SubgraphExecutor executor;
  private final Subgraph subgraph;
  /**
   * Set by {@link #init}; volatile and immutable so that graph runtimes on several threads sharing
   * one loaded package (and the same params) always see a complete map.
   */
  private volatile Map<String, NDArray> constants = Map.of();

  private SubgraphModule(String typeKey, String symbol, byte[] payload, String source) {
    this.typeKey = typeKey;
    this.symbol = symbol;
    this.payload = payload;
    this.subgraph = SubgraphCodec.decode(payload, source);
    this.executor = new SubgraphExecutor(subgraph, "@" + symbol);
  }

  /** A module of {@code typeKey} for {@code symbol} from an encoded function. */
  public static SubgraphModule create(String typeKey, String symbol, byte[] payload) {
    return new SubgraphModule(typeKey, symbol, payload, typeKey + " module @" + symbol);
  }

  /** The loader for {@code typeKey} blobs. */
  public static ModuleLoaders.Loader loader(String typeKey) {
    return (data, source) -> {
      BinReader r = new BinReader(data, source);
      if (!Arrays.equals(r.bytes(4, "magic"), MAGIC)) {
        throw r.fail("bad magic (not a kbyoc external module)");
      }
      long v = r.u32("version");
      if (v != 1) {
        throw r.fail("unsupported module version " + v);
      }
      String sym = r.str("symbol");
      byte[] payload = r.bytes(r.u32("payload size"), "payload");
      if (!r.atEnd()) {
        throw r.fail(r.remaining() + " trailing bytes");
      }
      return new SubgraphModule(typeKey, sym, payload, source);
    };
  }

  @Override
  public String typeKey() {
    return typeKey;
  }

  @Override
  public List<String> symbols() {
    return List.of(symbol);
  }

  @Override
  public byte[] serialize() {
    return new BinWriter().bytes(MAGIC).u32(1).str(symbol).u32(payload.length).bytes(payload).toByteArray();
  }

  @Override
  public List<String> constVars() {
    return subgraph.constNames();
  }

  @Override
  public void init(Map<String, NDArray> given) {
    Map<String, NDArray> m = new LinkedHashMap<>();
    for (String n : constVars()) {
      NDArray a = given.get(n);
      if (a == null) {
        throw new KbyocException(typeKey + " module @" + symbol + " needs constant \"" + n + "\", which the params do not hold");
      }
      m.put(n, a);
    }
    constants = java.util.Collections.unmodifiableMap(m);
  }

  @Override
  public List<NDArray> run(String sym, List<NDArray> inputs) {
    if (!symbol.equals(sym)) {
      throw new KbyocException(typeKey + " module @" + symbol + " has no function " + sym);
    }
    if (constants.size() != constVars().size()) {
      throw new KbyocException(typeKey + " module @" + symbol + " was not initialised with its " + constVars().size() + " constants");
    }
    return executor.run(inputs, constants);
  }
}
