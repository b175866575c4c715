package dev.kbyoc.cli;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.format.K210ConvLayer;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.sim.KmodelSimulator;
import dev.kbyoc.kendryte.sim.SimMode;
import dev.kbyoc.runtime.Npy;
import dev.kbyoc.verify.TolerancePolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code --dump-layers DIR}: runs one uint8 kmodel on one input twice, bit-exact ({@link
 * SimMode#UINT8}) and as its float reference ({@link SimMode#FLOAT}: the same layers with every
 * rounding of quantized values removed), writes each layer's output of both runs as
 * {@code layer_<i>_<TYPE>_uint8.npy} / {@code ..._float.npy} and prints one line per layer: cosine
 * similarity and max abs difference (in LSBs for layers that write uint8 tensors), plus the error
 * the layer adds on its own. Used by {@code kbyoc kmodel run} and, per Kendryte module, by
 * {@code kbyoc run PKG}.
 */
final class LayerDump {
  private LayerDump() {}

  /** The two runs a dump compares, with every layer's output kept. */
  record Runs(KmodelSimulator.Result exact, KmodelSimulator.Result real) {
    /** The run in {@code mode}. */
    KmodelSimulator.Result in(SimMode mode) {
      return mode == SimMode.UINT8 ? exact : real;
    }
  }

  /** Runs {@code m} on {@code input} in both modes, writes the dumps to {@code dir} and returns both runs. */
  static Runs write(Path dir, String name, Kmodel m, NDArray input, PrintWriter out) {
    return write(dir, name, m, input, input, out);
  }

  /**
   * As {@link #write(Path, String, Kmodel, NDArray, PrintWriter)} with the kmodel input of each run
   * given apart: a package's host-quantized input is rounded for the uint8 run and not for the
   * float run (as a QUANTIZE layer's two runs are).
   */
  static Runs write(Path dir, String name, Kmodel m, NDArray exactInput, NDArray floatInput, PrintWriter out) {
    if (m.floatWeights()) {
      throw new KbyocException(name + ": --dump-layers compares the uint8 and float runs, but this is a kbyoc float"
          + " kmodel (header flags bit 1); build with --quantize uint8");
    }
    KmodelSimulator.Result exact = new KmodelSimulator(name, m, SimMode.UINT8).run(exactInput, true);
    KmodelSimulator.Result real = new KmodelSimulator(name, m, SimMode.FLOAT).run(floatInput, true);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new KbyocException(dir + ": cannot create dump directory: " + e.getMessage());
    }
    for (int i = 0; i < exact.layerOutputs().size(); i++) {
      String type = m.layers().get(i).type().name();
      NDArray a = exact.layerOutputs().get(i);
      NDArray b = real.layerOutputs().get(i);
      String stem = String.format(Locale.ROOT, "layer_%02d_%s", i, type);
      Npy.write(dir.resolve(stem + "_uint8.npy"), a);
      Npy.write(dir.resolve(stem + "_float.npy"), b);
      double cos = TolerancePolicy.cosine(a, b);
      double max = 0;
      for (int k = 0; k < a.size(); k++) {
        max = Math.max(max, Math.abs(a.getDouble(k) - b.getDouble(k)));
      }
      boolean quantized = m.layers().get(i) instanceof K210ConvLayer || !KmodelSimulator.writesFloat(m.layers().get(i).type());
      double iso = exact.layers().get(i).isolatedErrorLsb();
      out.println(String.format(Locale.ROOT, "layer %2d %-32s %-18s cosine %.6f max_abs %.6g%s%s", i, type,
          Arrays.toString(a.shape()), cos, max, quantized ? " LSB" : "",
          iso >= 0 ? String.format(Locale.ROOT, " (this layer alone: %.3g LSB)", iso) : ""));
    }
    out.flush();
    return new Runs(exact, real);
  }
}
