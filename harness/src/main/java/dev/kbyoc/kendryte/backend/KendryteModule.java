package dev.kbyoc.kendryte.backend;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.codegen.KmodelFunction;
import dev.kbyoc.kendryte.sim.SimMode;
import dev.kbyoc.runtime.BinReader;
import dev.kbyoc.runtime.BinWriter;
import dev.kbyoc.runtime.RuntimeModule;
import java.util.Arrays;
import java.util.List;

/**
 * The runtime module {@code relay.ext.kendryte} produces: one compiled function as a kmodel v3
 * (which embeds every weight, so it reads no params) run on the KPU simulator, uint8 mode by
 * default. Blob, like TVM's external modules' {@code SaveToBinary} (symbol, then the payload):
 * magic {@code KBKM}, u32 version 2, the symbol (u32 length + UTF-8), the input quantization
 * (float32 scale, u8 zero point; scale 0 when the kmodel takes the float input itself), u32 kmodel
 * size, the kmodel file bytes unchanged (so they can be cut out and run on a K210, which takes the
 * input quantized with that scale and zero point). Version 1 (no quantization fields) still loads.
 */
public final class KendryteModule implements RuntimeModule {
  /** The module type key. */
  public static final String TYPE_KEY = "kendryte";
  private static final byte[] MAGIC = {'K', 'B', 'K', 'M'};
  /** The blob version written. */
  public static final int VERSION = 2;

  private final KmodelFunction function;
  private final SimMode mode;

  public KendryteModule(KmodelFunction function, SimMode mode) {
    this.function = function;
    this.mode = mode;
  }

  /** Whether {@code data} starts with this module's magic {@code KBKM}. */
  public static boolean isKendryteBlob(byte[] data) {
    return data.length >= 4 && Arrays.equals(Arrays.copyOf(data, 4), MAGIC);
  }

  /** Rebuilds a module from its blob; a one-line error names {@code source} and the offset. */
  public static KendryteModule load(byte[] data, String source) {
    BinReader r = new BinReader(data, source);
    if (!Arrays.equals(r.bytes(4, "magic"), MAGIC)) {
      throw r.fail("bad magic (not a kbyoc kendryte module)");
    }
    long v = r.u32("version");
    if (v != 1 && v != VERSION) {
      throw r.fail("unsupported kendryte module version " + v);
    }
    String symbol = r.str("symbol");
    KmodelFunction.InputQuant q = null;
    if (v == VERSION) {
      float scale = Float.intBitsToFloat((int) r.u32("input scale"));
      int zero = r.u8("input zero point");
      if (scale != 0) {
        if (!(scale > 0 && Float.isFinite(scale))) {
          throw r.fail("input scale " + scale + " is not a positive number");
        }
        q = new KmodelFunction.InputQuant(scale, zero);
      } else if (zero != 0) {
        throw r.fail("input zero point " + zero + " without an input scale");
      }
    }
    byte[] kmodel = r.bytes(r.u32("kmodel size"), "kmodel");
    if (!r.atEnd()) {
      throw r.fail(r.remaining() + " trailing bytes");
    }
    KmodelFunction f = KmodelFunction.load(symbol, kmodel, q);
    return new KendryteModule(f, f.quantizeMode().simMode());
  }

  /** The compiled function. */
  public KmodelFunction function() {
    return function;
  }

  /** The same kmodel run in another simulator mode. */
  public KendryteModule withMode(SimMode m) {
    return new KendryteModule(function, m);
  }

  @Override
  public String typeKey() {
    return TYPE_KEY;
  }

  @Override
  public List<String> symbols() {
    return List.of(function.symbol());
  }

  @Override
  public byte[] serialize() {
    byte[] k = function.bytes();
    KmodelFunction.InputQuant q = function.inputQuant();
    return new BinWriter().bytes(MAGIC).u32(VERSION).str(function.symbol())
        .u32(q == null ? 0 : Float.floatToRawIntBits(q.scale()) & 0xFFFFFFFFL).u8(q == null ? 0 : q.zero())
        .u32(k.length).bytes(k).toByteArray();
  }

  @Override
  public List<NDArray> run(String symbol, List<NDArray> inputs) {
    if (!function.symbol().equals(symbol)) {
      throw new KbyocException("kendryte module @" + function.symbol() + " has no function " + symbol);
    }
    return function.run(inputs, mode);
  }
}
