package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.format.KmodelReader;
import dev.kbyoc.kendryte.format.KmodelWriter;
import dev.kbyoc.kendryte.sim.KmodelSimulator;
import dev.kbyoc.kendryte.sim.SimMode;
import java.util.List;

/**
 * A compiled Kendryte function: the kmodel bytes (which embed every weight, so the function's
 * constants must not also go to the graph params) and their execution on the simulator. This is
 * what {@code relay.ext.kendryte} produces and what the {@code kendryte} module loader rebuilds
 * from a package blob.
 */
public final class KmodelFunction {
  private final String symbol;
  private final byte[] bytes;
  private final Kmodel model;

  private KmodelFunction(String symbol, byte[] bytes, Kmodel model) {
    this.symbol = symbol;
    this.bytes = bytes;
    this.model = model;
  }

  /** Compiles a partitioned function; calibration inputs may be empty (synthetic set). */
  public static KmodelFunction compile(Function fn, String symbol, List<NDArray> calibration, QuantizeMode mode) {
    Kmodel m = KendryteCodegen.compile(fn, symbol, calibration, mode);
    return new KmodelFunction(symbol, KmodelWriter.write(m), m);
  }

  /** Rebuilds from kmodel bytes (validated). */
  public static KmodelFunction load(String symbol, byte[] kmodel) {
    return new KmodelFunction(symbol, kmodel.clone(), KmodelReader.read(symbol, kmodel));
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
    return new KmodelSimulator(symbol, model, mode).run(inputs.get(0)).outputs();
  }
}
