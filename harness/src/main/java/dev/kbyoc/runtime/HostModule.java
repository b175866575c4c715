package dev.kbyoc.runtime;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host module (TVM's compiled {@code lib}): the fused primitive functions of the host graph by
 * symbol, each a {@link SubgraphCodec} payload run with the host kernels. Blob: magic {@code KBHM},
 * u32 version 1, u32 function count, then per function its symbol, u32 size and payload.
 */
public final class HostModule implements RuntimeModule {
  public static final String TYPE_KEY = "kbyoc_host";
  private static final byte[] MAGIC = {'K', 'B', 'H', 'M'};
  private static final int MAX_FUNCTIONS = 1 << 20;

  private final Map<String, byte[]> payloads;
  private final Map<String, SubgraphExecutor> executors = new LinkedHashMap<>();

  private HostModule(Map<String, byte[]> payloads, String source) {
    this.payloads = payloads;
    payloads.forEach((sym, bytes) ->
        executors.put(sym, new SubgraphExecutor(SubgraphCodec.decode(bytes, source + " function " + sym), sym)));
  }

  /** A host module from encoded functions by symbol (insertion order kept). */
  public static HostModule create(Map<String, byte[]> payloads) {
    return new HostModule(new LinkedHashMap<>(payloads), "host module");
  }

  static RuntimeModule load(byte[] data, String source) {
    BinReader r = new BinReader(data, source);
    if (!Arrays.equals(r.bytes(4, "magic"), MAGIC)) {
      throw r.fail("bad magic (not a kbyoc host module)");
    }
    long v = r.u32("version");
    if (v != 1) {
      throw r.fail("unsupported host module version " + v);
    }
    int n = r.count("function count", MAX_FUNCTIONS);
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String sym = r.str("symbol");
      if (m.put(sym, r.bytes(r.u32("function size"), "function " + sym)) != null) {
        throw r.fail("function " + sym + " defined twice");
      }
    }
    if (!r.atEnd()) {
      throw r.fail(r.remaining() + " trailing bytes");
    }
    return new HostModule(m, source);
  }

  @Override
  public String typeKey() {
    return TYPE_KEY;
  }

  @Override
  public List<String> symbols() {
    return new ArrayList<>(payloads.keySet());
  }

  @Override
  public byte[] serialize() {
    BinWriter w = new BinWriter().bytes(MAGIC).u32(1).u32(payloads.size());
    payloads.forEach((sym, b) -> w.str(sym).u32(b.length).bytes(b));
    return w.toByteArray();
  }

  @Override
  public FloatFunction floatFunction(String symbol) {
    SubgraphExecutor ex = executors.get(symbol);
    return ex == null ? null : FloatProgram.compile(ex.subgraph());
  }

  @Override
  public List<NDArray> run(String symbol, List<NDArray> inputs) {
    SubgraphExecutor ex = executors.get(symbol);
    if (ex == null) {
      throw new KbyocException("host module has no function " + symbol);
    }
    return ex.run(inputs, Map.of());
  }
}
