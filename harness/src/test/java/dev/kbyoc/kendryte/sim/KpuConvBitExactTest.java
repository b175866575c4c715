package dev.kbyoc.kendryte.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.format.CpuLayer;
import dev.kbyoc.kendryte.format.K210ConvLayer;
import dev.kbyoc.kendryte.format.KLayer;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.format.KmodelOutput;
import dev.kbyoc.kendryte.format.KmodelReader;
import dev.kbyoc.kendryte.format.KmodelWriter;
import dev.kbyoc.kendryte.format.KpuActivation;
import dev.kbyoc.kendryte.format.KpuBatchNorm;
import dev.kbyoc.kendryte.format.KpuLayerArgument;
import dev.kbyoc.kendryte.format.LayerType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Randomized K210_CONV layers (1x1/3x3, normal/depthwise, all ten pool types, random argument
 * terms, batchnorm and activation tables, 8- and 16-bit weights, shapes from 4x4 to 256x512), each
 * written to a kmodel, read back and run by the simulator in uint8 mode: the output must equal
 * {@link KpuConvReference} bit for bit. Seeded; the seed and case are in every failure message.
 */
class KpuConvBitExactTest {
  static final long SEED = 0x6B32_3130L;

  @Test
  void randomLayersMatchTheIndependentReference() {
    SplittableRandom rnd = new SplittableRandom(SEED);
    int[][] shapes = {{4, 4}, {4, 4}, {5, 7}, {16, 16}, {17, 33}, {32, 20}, {15, 64}, {9, 100}, {256, 512}};
    int cases = 0;
    int varied = 0;
    for (int[] hw : shapes) {
      for (int rep = 0; rep < (hw[0] == 256 ? 2 : 6); rep++) {
        varied += runCase(rnd, hw[0], hw[1], cases++) ? 1 : 0;
      }
    }
    // The comparison means something only if outputs are not saturated constants.
    assertTrue(varied >= cases * 8 / 10, varied + " of " + cases + " cases have at least 4 distinct outputs");
  }

  static boolean runCase(SplittableRandom rnd, int h, int w, int id) {
    boolean big = h * w > 10000;
    int k = rnd.nextBoolean() ? 3 : 1;
    boolean dw = rnd.nextInt(3) == 0;
    int ic = 1 + rnd.nextInt(big ? 2 : 6);
    int oc = dw ? ic : 1 + rnd.nextInt(big ? 3 : 6);
    int pool = id % 10;
    boolean eightBit = rnd.nextInt(4) != 0;
    int wMax = eightBit ? 256 : 65536;
    int nW = dw ? ic * k * k : ic * oc * k * k;
    int[] weights = new int[nW];
    for (int i = 0; i < nW; i++) {
      weights[i] = rnd.nextInt(wMax);
    }
    int pad = rnd.nextInt(256);
    long argX = rnd.nextLong(-(1L << 23), 1L << 23);
    long argW = rnd.nextLong(-(1L << 23), 1L << 23);
    int shX = rnd.nextInt(16);
    int shW = rnd.nextInt(16);
    long argAdd = rnd.nextLong(-(1L << 30), 1L << 30);
    int[] in = new int[ic * h * w];
    for (int i = 0; i < in.length; i++) {
      in[i] = rnd.nextInt(256);
    }
    // Batchnorm scaled to the accumulators' real range (an identity probe gives acc), then an
    // activation whose segments spread over the batchnorm outputs, so that outputs vary.
    long[] one = new long[oc];
    Arrays.fill(one, 1);
    KpuConvReference.Layer probe = new KpuConvReference.Layer(ic, oc, h, w, k, dw, pad, argX, shX, argW, shW, argAdd,
        weights, one, new int[oc], new long[oc], new long[16], new int[16], new int[16], new int[16], 0);
    long[] accs = KpuConvReference.batchNorm(in, probe);
    // Re-centre with arg_add (as a real quantizer's zero-point terms do), then probe again.
    long mid0 = (Arrays.stream(accs).min().getAsLong() + Arrays.stream(accs).max().getAsLong()) / 2;
    argAdd = Math.max(-(1L << 39), Math.min((1L << 39) - 1, argAdd - mid0 / (dw ? 1 : ic)));
    probe = new KpuConvReference.Layer(ic, oc, h, w, k, dw, pad, argX, shX, argW, shW, argAdd,
        weights, one, new int[oc], new long[oc], new long[16], new int[16], new int[16], new int[16], 0);
    accs = KpuConvReference.batchNorm(in, probe);
    long accLo = Arrays.stream(accs).min().getAsLong();
    long accHi = Arrays.stream(accs).max().getAsLong();
    long spread = Math.max(1, accHi - accLo);
    long accMid = accLo + spread / 2;
    long[] bnMul = new long[oc];
    int[] bnShift = new int[oc];
    long[] bnAdd = new long[oc];
    for (int i = 0; i < oc; i++) {
      bnShift[i] = rnd.nextInt(16);
      int bits = 8 + rnd.nextInt(16);
      double target = Math.scalb(1.0, bits + bnShift[i]) / spread;
      long m = (long) Math.max(1, Math.min((1L << 23) - 1, target));
      bnMul[i] = rnd.nextBoolean() ? m : -m;
      bnAdd[i] = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
          -((accMid * bnMul[i]) >> bnShift[i]) + rnd.nextLong(-(1L << bits), 1L << bits)));
    }
    probe = new KpuConvReference.Layer(ic, oc, h, w, k, dw, pad, argX, shX, argW, shW, argAdd,
        weights, bnMul, bnShift, bnAdd, new long[16], new int[16], new int[16], new int[16], 0);
    long[] bn = KpuConvReference.batchNorm(in, probe);
    long lo = Arrays.stream(bn).min().getAsLong();
    long hi = Arrays.stream(bn).max().getAsLong();
    lo = Math.max(lo, -(1L << 35));
    hi = Math.min(Math.max(hi, lo + 16), (1L << 35) - 1);
    long[] start = new long[16];
    int[] mul = new int[16];
    int[] shift = new int[16];
    int[] bias = new int[16];
    long step = Math.max(1, (hi - lo) / 16);
    start[0] = -(1L << 35);
    for (int i = 1; i < 16; i++) {
      start[i] = Math.min(lo + i * step + rnd.nextLong(step), (1L << 35) - 1);
    }
    Arrays.sort(start);
    for (int i = 0; i < 16; i++) {
      mul[i] = rnd.nextInt(-32768, 32768);
      shift[i] = Math.max(0, 64 - Long.numberOfLeadingZeros(step * Math.abs((long) mul[i]) + 1) - 6 + rnd.nextInt(3));
      bias[i] = rnd.nextInt(256);
    }
    KpuConvReference.Layer ref = new KpuConvReference.Layer(ic, oc, h, w, k, dw, pad, argX, shX, argW, shW, argAdd,
        weights, bnMul, bnShift, bnAdd, start, mul, shift, bias, pool);
    int[] expected = KpuConvReference.run(in, ref);

    int ow = w / (pool == 0 || pool >= 8 ? 1 : pool == 3 || pool == 4 || pool == 7 ? 4 : 2);
    int oh = h / (pool == 0 || pool >= 8 ? 1 : pool == 3 || pool == 4 || pool == 7 ? 4 : 2);
    KpuLayerArgument arg = KpuTestLayers.argument(ic, oc, h, w, oh, ow, k, dw, pool, pad, argX, shX, argW, shW, argAdd);
    byte[] wBytes = KpuTestLayers.weightBytes(weights, eightBit);
    KpuBatchNorm[] bns = new KpuBatchNorm[oc];
    for (int i = 0; i < oc; i++) {
      bns[i] = new KpuBatchNorm(bnMul[i], bnShift[i], bnAdd[i]);
    }
    KpuActivation.Segment[] segs = new KpuActivation.Segment[16];
    for (int i = 0; i < 16; i++) {
      segs[i] = new KpuActivation.Segment(start[i], mul[i], shift[i] & 0xFF, bias[i]);
    }
    int n = oc * oh * ow;
    int outAddr = (n + 7) / 8 * 8;
    List<KLayer> layers = new ArrayList<>();
    layers.add(K210ConvLayer.of(K210ConvLayer.FLAG_MAIN_MEM_OUT, 0, arg, wBytes, bns, KpuActivation.of(segs)));
    layers.add(CpuLayer.builder(LayerType.DEQUANTIZE).set("main_mem_in_address", 0)
        .set("main_mem_out_address", outAddr).set("count", n).setFloat("scale", 1f).setFloat("bias", 0f).build());
    Kmodel model = Kmodel.of(eightBit, 0, outAddr + 4L * n, List.of(new KmodelOutput(outAddr, 4L * n)), layers);
    Kmodel reread = KmodelReader.read("case" + id, KmodelWriter.write(model));
    NDArray input = NDArray.zeros(DType.UINT8, 1, ic, h, w);
    for (int i = 0; i < in.length; i++) {
      input.setDouble(i, in[i]);
    }
    float[] got = new KmodelSimulator("case" + id, reread, SimMode.UINT8).run(input).outputs().get(0).floatData();
    String where = "seed " + SEED + " case " + id + " (" + ic + "->" + oc + " " + h + "x" + w + " k" + k
        + (dw ? " dw" : "") + " pool " + pool + (eightBit ? " w8" : " w16") + ")";
    assertEquals(n, got.length, where);
    int distinct = (int) Arrays.stream(expected).distinct().count();
    for (int i = 0; i < n; i++) {
      if (expected[i] != (int) got[i]) {
        throw new AssertionError(where + ": element " + i + " expected " + expected[i] + " got " + got[i]);
      }
    }
    return distinct >= Math.min(4, n);
  }
}
