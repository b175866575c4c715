package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.format.CpuLayer;
import dev.kbyoc.kendryte.format.K210ConvLayer;
import dev.kbyoc.kendryte.format.KLayer;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.format.KmodelOutput;
import dev.kbyoc.kendryte.format.KmodelWriter;
import dev.kbyoc.kendryte.format.KpuField;
import dev.kbyoc.kendryte.format.KpuLayerArgument;
import dev.kbyoc.kendryte.format.LayerType;
import dev.kbyoc.kendryte.sim.KpuLayout;
import dev.kbyoc.kendryte.sim.KpuPoolUnit;
import dev.kbyoc.kendryte.sim.KpuRam;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Compiles a Kendryte function (a chain of KPU conv groups, see {@link ConvChainMatcher}) into a
 * kmodel v3 that takes and returns float32:
 * QUANTIZE (float input to uint8) -> K210_UPLOAD -> one K210_CONV per group (the last with
 * KLF_MAIN_MEM_OUT) -> DEQUANTIZE. Algorithm: 1. match the groups; 2. calibrate per-tensor uint8
 * ranges by running the groups in float over the calibration inputs (or, without any, over
 * {@value #SYNTHETIC_SAMPLES} seeded uniform [-1, 1] inputs); 3. quantize each group
 * ({@link KpuQuantizer}); 4. place maps in KPU RAM, alternating between line 0 and the top, and
 * reject a layer whose input and output maps do not fit the 2 MiB, naming it and the bytes.
 * In {@link QuantizeMode#FLOAT} step 3 keeps the float weights and tables ({@link FloatKpuLayer}),
 * QUANTIZE/DEQUANTIZE become identities (scale 1, bias 0), the registers' quantization fields
 * (pad_value, arg_x, shr_x, arg_w, shr_w, arg_add) are 0 and the header has flags bit 1; the
 * layers, shapes and KPU RAM addresses are those of {@link QuantizeMode#UINT8}.
 */
public final class KendryteCodegen {
  /** Synthetic calibration samples used when no calibration inputs are given. */
  public static final int SYNTHETIC_SAMPLES = 4;
  /** Seed of the synthetic calibration set. */
  public static final long SYNTHETIC_SEED = 0x4B323130L;

  private KendryteCodegen() {}

  /**
   * Null when {@link #compile} can take the region's structure (one input, one output, a chain of
   * conv groups whose every op passes {@link dev.kbyoc.kendryte.KendryteRules}), else the reason:
   * the region check of the {@code kendryte} target, i.e. the codegen's own matcher.
   */
  public static String regionProblem(Function fn) {
    try {
      ConvChainMatcher.match(fn, fn.attrs().has(Function.ATTR_GLOBAL_SYMBOL) ? fn.attrs().getString(Function.ATTR_GLOBAL_SYMBOL) : "region");
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
    boolean quantize = mode == QuantizeMode.UINT8;
    List<ConvGroup> groups = ConvChainMatcher.match(fn, name);
    ConvGroup first = groups.get(0);
    int n0 = first.inC() * first.h() * first.w();
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
    double[] lo = new double[groups.size() + 1];
    double[] hi = new double[groups.size() + 1];
    java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    for (double[] x : samples) {
      for (int gi = 0; gi <= groups.size(); gi++) {
        for (double v : x) {
          lo[gi] = Math.min(lo[gi], v);
          hi[gi] = Math.max(hi[gi], v);
        }
        if (gi < groups.size()) {
          x = FloatConvGroup.run(groups.get(gi), x);
        }
      }
    }
    List<KLayer> layers = new ArrayList<>();
    QuantParam inQ = quantize ? QuantParam.fromRange(lo[0], hi[0]) : QuantParam.IDENTITY;
    int qIn = align8(4L * n0);
    ConvGroup last = groups.get(groups.size() - 1);
    int[] lastOut = outShape(last);
    int nOut = lastOut[0] * lastOut[1] * lastOut[2];
    int qOut = align8((long) qIn + n0);
    int fOut = align8((long) qOut + nOut);
    layers.add(CpuLayer.builder(LayerType.QUANTIZE).set("main_mem_in_address", 0).set("mem_out_address", qIn)
        .set("count", n0).setFloat("scale", (float) inQ.scale()).setFloat("bias", (float) inQ.bias()).build());
    layers.add(CpuLayer.builder(LayerType.K210_UPLOAD).set("main_mem_in_address", qIn).set("kpu_mem_out_address", 0)
        .set("width", first.w()).set("height", first.h()).set("channels", first.inC()).build());
    long inLine = 0;
    long maxLine = 0;
    QuantParam cur = inQ;
    for (int gi = 0; gi < groups.size(); gi++) {
      ConvGroup g = groups.get(gi);
      int[] os = outShape(g);
      long inLines = KpuLayout.lines(g.w(), g.h(), g.inC());
      long outLines = KpuLayout.lines(os[2], os[1], os[0]);
      if (inLines + outLines > KpuRam.LINES) {
        throw new KbyocException("kendryte codegen: " + name + ": layer " + gi + " (" + g.name() + ") needs "
            + (inLines + outLines) * KpuLayout.LINE + " bytes of KPU RAM (input " + inLines * KpuLayout.LINE
            + " + output " + outLines * KpuLayout.LINE + "), more than the K210's " + KpuRam.BYTES);
      }
      long outLine = inLine == 0 ? KpuRam.LINES - outLines : 0;
      maxLine = Math.max(maxLine, Math.max(inLine + inLines, outLine + outLines));
      QuantParam outQ = QuantParam.fromRange(lo[gi + 1], g.act() == 2 ? Math.min(hi[gi + 1], 6) : hi[gi + 1]);
      boolean isLast = gi == groups.size() - 1;
      long flags = isLast ? K210ConvLayer.FLAG_MAIN_MEM_OUT : 0;
      if (quantize) {
        KpuQuantizer.Layer q = KpuQuantizer.quantize(g, cur, outQ);
        layers.add(K210ConvLayer.of(flags, isLast ? qOut : 0, registers(g, os, q, inLine, outLine), q.weights(),
            q.bn(), q.act()));
      } else {
        outQ = QuantParam.IDENTITY;
        layers.add(FloatKpuLayer.of(g, flags, isLast ? qOut : 0, registers(g, os, null, inLine, outLine)));
      }
      inLine = outLine;
      cur = outQ;
    }
    layers.add(CpuLayer.builder(LayerType.DEQUANTIZE).set("main_mem_in_address", qOut).set("main_mem_out_address", fOut)
        .set("count", nOut).setFloat("scale", (float) cur.scale()).setFloat("bias", (float) cur.bias()).build());
    List<KmodelOutput> outputs = List.of(new KmodelOutput(fOut, 4L * nOut));
    return quantize ? Kmodel.of(true, maxLine, fOut + 4L * nOut, outputs, layers)
        : Kmodel.ofFloat(maxLine, fOut + 4L * nOut, outputs, layers);
  }

  private static int align8(long v) {
    return Math.toIntExact((v + 7) / 8 * 8);
  }

  static int[] outShape(ConvGroup g) {
    return new int[] {g.outC(), KpuPoolUnit.outputSize(g.h(), g.pool()), KpuPoolUnit.outputSize(g.w(), g.pool())};
  }

  /**
   * The kpu_layer_argument_t as nncase v0.1's generator fills it; {@code q} null (float variant)
   * leaves the quantization fields 0.
   */
  private static KpuLayerArgument registers(ConvGroup g, int[] os, KpuQuantizer.Layer q, long inLine, long outLine) {
    KpuLayout il = KpuLayout.of(g.w());
    KpuLayout ol = KpuLayout.of(os[2]);
    int oneChannel = g.k() * g.k() * g.inC();
    int perLoad = g.depthwise() ? g.outC() : Math.max(1, Math.min(g.outC(), 30 * 1024 / oneChannel));
    int loads = g.depthwise() ? 1 : (g.outC() + perLoad - 1) / perLoad;
    int loadSize = g.depthwise() ? g.outC() * g.k() * g.k() : oneChannel * perLoad;
    KpuLayerArgument r = KpuLayerArgument.zero()
        .with(KpuField.DEPTH_WISE_LAYER, g.depthwise() ? 1 : 0)
        .with(KpuField.IMAGE_SRC_ADDR, inLine).with(KpuField.IMAGE_DST_ADDR, outLine)
        .with(KpuField.I_CH_NUM, g.inC() - 1).with(KpuField.O_CH_NUM, g.outC() - 1)
        .with(KpuField.O_CH_NUM_COEF, perLoad - 1)
        .with(KpuField.I_ROW_WID, g.w() - 1).with(KpuField.I_COL_HIGH, g.h() - 1)
        .with(KpuField.O_ROW_WID, os[2] - 1).with(KpuField.O_COL_HIGH, os[1] - 1)
        .with(KpuField.KERNEL_TYPE, g.k() == 3 ? 1 : 0).with(KpuField.POOL_TYPE, g.pool())
        .with(KpuField.LOAD_PARA, 1).with(KpuField.DMA_BURST_SIZE, 15)
        .with(KpuField.LOAD_COOR, 1).with(KpuField.LOAD_TIME, loads - 1).with(KpuField.PARA_SIZE, loadSize)
        .with(KpuField.CHANNEL_SWITCH_ADDR, (long) il.rowLen() * g.h()).with(KpuField.ROW_SWITCH_ADDR, il.rowLen())
        .with(KpuField.COEF_GROUP, il.groups()).with(KpuField.LOAD_ACT, 1)
        .with(KpuField.WB_CHANNEL_SWITCH_ADDR, (long) ol.rowLen() * os[1])
        .with(KpuField.WB_ROW_SWITCH_ADDR, ol.rowLen()).with(KpuField.WB_GROUP, ol.groups())
        .with(KpuField.CHANNEL_BYTE_NUM, (long) os[1] * os[2] - 1)
        .with(KpuField.DMA_TOTAL_BYTE, (long) os[0] * os[1] * os[2] - 1);
    return q == null ? r : r.with(KpuField.PAD_VALUE, q.padValue())
        .with(KpuField.SHR_W, q.shiftW()).with(KpuField.SHR_X, q.shiftX())
        .with(KpuField.ARG_W, q.argW()).with(KpuField.ARG_X, q.argX()).with(KpuField.ARG_ADD, q.argAdd());
  }
}
