package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.format.KmodelReader;
import dev.kbyoc.kendryte.format.KmodelWriter;
import dev.kbyoc.kendryte.format.LayerType;
import dev.kbyoc.kendryte.sim.InputQuantizer;
import dev.kbyoc.kendryte.sim.KmodelSimulator;
import dev.kbyoc.kendryte.sim.SimMode;
import java.util.List;

/**
 * A compiled Kendryte function: the kmodel bytes (which embed every weight, so the function's
 * constants must not also go to the graph params) and their execution on the simulator. This is
 * what {@code relay.ext.kendryte} produces and what the {@code kendryte} module loader rebuilds
 * from a package blob. A uint8 kmodel whose first layer is K210_CONV takes uint8 input: the function
 * then carries the input quantization (float32 scale, zero point) and {@link #run} quantizes the
 * float input on the host as the SDK's QUANTIZE layer would, as an application does before
 * {@code kpu_run_kmodel}.
 */
public final class KmodelFunction {
  private final String symbol;
  private final byte[] bytes;
  private final Kmodel model;

  /** The host-side quantization of a float input: float32 scale and zero point. */
  public record InputQuant(float scale, int zero) {}

  private final InputQuant inputQuant;

  private KmodelFunction(String symbol, byte[] bytes, Kmodel model, InputQuant inputQuant) {
    this.symbol = symbol;
    this.bytes = bytes;
    this.model = model;
    this.inputQuant = inputQuant;
  }

  /**
   * Compiles a partitioned function to the kmodel a board runs
   * ({@link KendryteCodegen#compileForBoard}); calibration inputs may be empty (synthetic set).
   */
  public static KmodelFunction compile(Function fn, String symbol, List<NDArray> calibration, QuantizeMode mode) {
    BoardKmodel b = KendryteCodegen.compileForBoard(fn, symbol, calibration, mode);
    QuantParam q = b.inputQuant();
    return new KmodelFunction(symbol, KmodelWriter.write(b.kmodel()), b.kmodel(),
        q == null ? null : new InputQuant((float) q.scale(), q.zero()));
  }

  /** Rebuilds from kmodel bytes (validated) that take their input as {@code kbyoc run FILE.kmodel} does. */
  public static KmodelFunction load(String symbol, byte[] kmodel) {
    return load(symbol, kmodel, null);
  }

  /**
   * Rebuilds from kmodel bytes and the host-side input quantization (null: the input goes to the
   * kmodel unchanged). A quantization needs a uint8 kmodel whose first layer is K210_CONV.
   */
  public static KmodelFunction load(String symbol, byte[] kmodel, InputQuant inputQuant) {
    Kmodel m = KmodelReader.read(symbol, kmodel);
    if (inputQuant != null && (m.floatWeights() || m.layers().get(0).type() != LayerType.K210_CONV)) {
      throw new KbyocException("kendryte function " + symbol + ": an input quantization needs a uint8 kmodel"
          + " starting with K210_CONV, this one starts with " + m.layers().get(0).type());
    }
    if (inputQuant != null && !(inputQuant.scale() > 0 && Float.isFinite(inputQuant.scale()))) {
      throw new KbyocException("kendryte function " + symbol + ": input scale " + inputQuant.scale()
          + " is not a positive number");
    }
    return new KmodelFunction(symbol, kmodel.clone(), m, inputQuant);
  }

  /** The host-side input quantization, or null when the kmodel takes the float input itself. */
  public InputQuant inputQuant() {
    return inputQuant;
  }

  /**
   * Whether the SDK's {@code kpu_run_kmodel} can start this kmodel: its first layer is K210_CONV
   * (uint8 input uploaded to KPU RAM) or FULLY_CONNECTED (float input in main memory).
   */
  public boolean sdkAcceptsFirstLayer() {
    LayerType t = model.layers().get(0).type();
    return t == LayerType.K210_CONV || t == LayerType.FULLY_CONNECTED;
  }

  public String symbol() {
    return symbol;
  }

  /** The kmodel file bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public Kmodel model() {
    return model;
  }

  /** The kind of kmodel: {@link QuantizeMode#FLOAT} when its header has flags bit 1. */
  public QuantizeMode quantizeMode() {
    return model.floatWeights() ? QuantizeMode.FLOAT : QuantizeMode.UINT8;
  }

  /** Runs on one input tensor; outputs are float32. */
  public List<NDArray> run(List<NDArray> inputs, SimMode mode) {
    if (inputs.size() != 1) {
      throw new KbyocException("kendryte function " + symbol + " takes 1 input, got " + inputs.size());
    }
    return new KmodelSimulator(symbol, model, mode).run(kmodelInput(inputs.get(0), mode)).outputs();
  }

  /** What the kmodel receives for a float input: quantized on the host when it takes uint8. */
  public NDArray kmodelInput(NDArray input, SimMode mode) {
    return inputQuant == null ? input : InputQuantizer.quantize(input, inputQuant.scale(), inputQuant.zero(), mode);
  }
}
