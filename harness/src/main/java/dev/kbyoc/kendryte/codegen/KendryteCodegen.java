package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.format.KmodelWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Compiles a Kendryte function into a kmodel v3 that takes and returns float32. Algorithm: 1. match
 * the function's dataflow graph: one input, one or more outputs, KPU conv groups and kmodel CPU
 * operations ({@link RegionGraphMatcher}); 2. calibrate per-tensor uint8 ranges by running the graph
 * in float over the calibration inputs (or, without any, over {@value #SYNTHETIC_SAMPLES} seeded
 * uniform [-1, 1] inputs) ({@link RegionCalibrator}); 3. lower it to layers, quantizing each conv
 * group ({@link KpuQuantizer}), and place main-memory buffers and KPU RAM maps by live range,
 * rejecting a layer whose maps do not fit the 2 MiB, naming it and the bytes ({@link RegionLowering},
 * {@link BufferPlanner}). In {@link QuantizeMode#FLOAT} (the kbyoc-only float kmodel) the same
 * graph becomes the same kinds of layers with float K210_CONV layers ({@link FloatKpuLayer}),
 * identity QUANTIZE/DEQUANTIZE and float CPU layers (see {@link RegionLowering}).
 */
public final class KendryteCodegen {
  /** Synthetic calibration samples used when no calibration inputs are given. */
  public static final int SYNTHETIC_SAMPLES = 4;
  /** Seed of the synthetic calibration set. */
  public static final long SYNTHETIC_SEED = 0x4B323130L;

  private KendryteCodegen() {}

  /**
   * Null when {@link #compile} can take the region's structure (one input, any number of outputs,
   * conv groups and kmodel CPU operations whose every op passes
   * {@link dev.kbyoc.kendryte.KendryteRules}), else the reason:
   * the region check of the {@code kendryte} target, i.e. the codegen's own matcher and a dry run
   * of its lowering (weight quantization, the 2 MiB KPU RAM plan) with unit activation ranges.
   */
  public static String regionProblem(Function fn) {
    String name = fn.attrs().has(Function.ATTR_GLOBAL_SYMBOL) ? fn.attrs().getString(Function.ATTR_GLOBAL_SYMBOL)
        : "region";
    try {
      RegionGraph g = RegionGraphMatcher.match(fn, name);
      double[][] unit = new double[g.nodes().size()][];
      java.util.Arrays.fill(unit, new double[] {-1, 1});
      for (QuantizeMode mode : QuantizeMode.values()) { // dry runs: weight quantization, the KPU RAM plans
        RegionLowering.lower(g, unit, name, mode);
      }
      return null;
    } catch (KbyocException e) {
      return e.getMessage().replaceFirst("^kendryte codegen: ", "");
    }
  }

  /** The kmodel bytes for a function. */
  public static byte[] compileBytes(Function fn, String name, List<NDArray> calibration, QuantizeMode mode) {
    return KmodelWriter.write(compile(fn, name, calibration, mode));
  }

  /**
   * The kmodel for a typed function with one NCHW float32 input; calibration inputs may be null or
   * empty (the seeded synthetic set).
   */
  public static Kmodel compile(Function fn, String name, List<NDArray> calibration, QuantizeMode mode) {
    RegionGraph graph = RegionGraphMatcher.match(fn, name);
    int n0 = graph.input().size();
    List<double[]> samples = new ArrayList<>();
    if (calibration == null || calibration.isEmpty()) {
      SplittableRandom rnd = new SplittableRandom(SYNTHETIC_SEED);
      for (int s = 0; s < SYNTHETIC_SAMPLES; s++) {
        samples.add(rnd.doubles(n0, -1, 1).toArray());
      }
    } else {
      for (NDArray a : calibration) {
        if (a.size() != n0) {
          throw new KbyocException("kendryte codegen: " + name + ": calibration input has " + a.size()
              + " elements, the function takes " + n0);
        }
        double[] v = new double[n0];
        for (int i = 0; i < n0; i++) {
          v[i] = a.getDouble(i);
        }
        samples.add(v);
      }
    }
    return RegionLowering.lower(graph, RegionCalibrator.ranges(graph, samples), name, mode);
  }
}
