package dev.kbyoc.kendryte.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.kendryte.format.K210ConvLayer;
import dev.kbyoc.kendryte.format.KpuActivation;
import dev.kbyoc.kendryte.format.KpuBatchNorm;
import dev.kbyoc.kendryte.format.KpuLayerArgument;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The uint8 convolution on the Vector API ({@link KpuConvVectorUnit}) against the scalar path it
 * replaces: random K210_CONV layers (1x1 / 3x3, normal / depthwise, all ten pool types, channel
 * counts around the 8-channel register block, widths that are no multiple of the vector length,
 * 8- and 16-bit weights, including 16-bit layers too large for int sums, which must fall back to
 * the scalar path; activation tables with ascending or shuffled starts, batchnorm outputs within
 * the table or far beyond it) are run by {@link KpuConvLayerExecutor} both ways from the same KPU RAM. The
 * accumulators must be equal, the output bytes in KPU RAM identical, and both equal to the
 * independent {@link KpuConvReference}. Seeded; the seed and case are in every failure message.
 */
class KpuConvVectorTest {
  static final long SEED = 0x5643_4F4EL;

  private static final int[][] SHAPES = {{4, 4}, {5, 7}, {7, 31}, {6, 33}, {9, 50}, {4, 100}, {16, 16}, {12, 17}};
  private static final int[] CHANNELS = {1, 3, 8, 9, 16, 17, 27, 37};

  @Test
  void theTestForksRunTheVectorPath() {
    assertTrue(KpuVectors.enabled(), "jdk.incubator.vector is added to the test forks (kbyoc.jvm.args)");
  }

  @Test
  void randomLayersGiveIdenticalBytesOnBothPaths() {
    SplittableRandom rnd = new SplittableRandom(SEED);
    int vectorized = 0;
    int varied = 0;
    int cases = 80;
    for (int id = 0; id < cases; id++) {
      int[] hw = SHAPES[id % SHAPES.length];
      int k = id % 2 == 0 ? 3 : 1;
      boolean dw = (id / 2) % 3 == 0;
      int ic = CHANNELS[rnd.nextInt(CHANNELS.length)];
      int oc = dw ? ic : CHANNELS[rnd.nextInt(CHANNELS.length)];
      boolean eightBit = id % 3 != 2;
      Outcome r = runCase(rnd, id, ic, oc, hw[0], hw[1], k, dw, id % 10, eightBit, true);
      vectorized += r.vectorized ? 1 : 0;
      varied += r.distinct >= 4 || id % 7 == 6 ? 1 : 0;
    }
    // the bench's shape (3x3, 16 -> 64 channels on 64x64), and a 16-bit layer too large for int sums
    Outcome big = runCase(rnd, cases, 16, 64, 64, 64, 3, false, 0, true, false);
    Outcome wide = runCase(rnd, cases + 1, 37, 13, 9, 20, 3, false, 1, false, false);
    assertTrue(big.vectorized, "the 8-bit 16 -> 64 layer takes the vector path");
    assertTrue(!wide.vectorized, "a 16-bit 3x3 layer of 37 input channels exceeds int sums");
    assertTrue(vectorized >= cases * 7 / 10, vectorized + " of " + cases + " cases took the vector path");
    assertTrue(varied >= cases * 8 / 10, varied + " of " + cases + " cases have at least 4 distinct outputs");
  }

  private record Outcome(boolean vectorized, int distinct) {}

  private static Outcome runCase(SplittableRandom rnd, int id, int ic, int oc, int h, int w, int k, boolean dw,
      int pool, boolean eightBit, boolean withReference) {
    int nW = dw ? ic * k * k : ic * oc * k * k;
    int[] weights = new int[nW];
    for (int i = 0; i < nW; i++) {
      weights[i] = rnd.nextInt(eightBit ? 256 : 65536);
    }
    int[] in = new int[ic * h * w];
    double[] x = new double[in.length];
    for (int i = 0; i < in.length; i++) {
      in[i] = rnd.nextInt(256);
      x[i] = in[i];
    }
    int pad = rnd.nextInt(256);
    long argX = rnd.nextLong(-(1L << 23), 1L << 23);
    int shX = rnd.nextInt(16);
    long argW = rnd.nextLong(-(1L << 23), 1L << 23);
    int shW = rnd.nextInt(16);
    long argAdd = rnd.nextLong(-(1L << 30), 1L << 30);
    KpuConvUnit.Params p = new KpuConvUnit.Params(ic, oc, h, w, k, dw, pad, argX, shX, argW, shW, argAdd);
    String where = "seed " + SEED + " case " + id + " (" + ic + "->" + oc + " " + h + "x" + w + " k" + k
        + (dw ? " dw" : "") + " pool " + pool + (eightBit ? " w8" : " w16") + ")";

    double[] scalarAcc = KpuConvUnit.convolve(x, weights, p, SimMode.UINT8, false);
    double[] vectorAcc = KpuConvUnit.convolve(x, weights, p, SimMode.UINT8, true);
    assertArrayEquals(scalarAcc, vectorAcc, where + ": accumulators");

    // batchnorm scaled towards a few hundred units, the accumulators' spread permitting; or (huge)
    // far beyond every segment start, where the activation searches the table per value
    boolean huge = id % 7 == 6;
    double lo = Arrays.stream(scalarAcc).min().getAsDouble();
    double hi = Arrays.stream(scalarAcc).max().getAsDouble();
    long spread = Math.max(1, (long) (hi - lo));
    long mid = (long) lo + spread / 2;
    KpuBatchNorm[] bn = new KpuBatchNorm[oc];
    long[] bnMul = new long[oc];
    int[] bnShift = new int[oc];
    long[] bnAdd = new long[oc];
    for (int o = 0; o < oc; o++) {
      bnShift[o] = huge ? 0 : rnd.nextInt(16);
      long m = huge ? (1L << 23) - 1 : Math.max(1, Math.min((1L << 23) - 1, (600L << bnShift[o]) / spread));
      bnMul[o] = rnd.nextBoolean() ? m : -m;
      bnAdd[o] = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
          -((mid * bnMul[o]) >> bnShift[o]) + rnd.nextLong(-40, 40)));
      bn[o] = new KpuBatchNorm(bnMul[o], bnShift[o], bnAdd[o]);
    }
    // the table's segments spread over the batchnorm outputs, so that outputs vary
    int plane = h * w;
    long yLo = Long.MAX_VALUE;
    long yHi = Long.MIN_VALUE;
    for (int i = 0; i < scalarAcc.length; i++) {
      int o = i / plane;
      long y = (((long) scalarAcc[i] * bnMul[o]) >> bnShift[o]) + bnAdd[o];
      yLo = Math.min(yLo, y);
      yHi = Math.max(yHi, y);
    }
    yLo = Math.min(Math.max(yLo, -(1L << 34)), (1L << 34) - 32);
    yHi = Math.min(Math.max(yHi, yLo + 16), (1L << 34) - 1);
    long step = Math.max(1, (yHi - yLo) / 16);
    long[] start = new long[16];
    int[] mul = new int[16];
    int[] shift = new int[16];
    int[] bias = new int[16];
    start[0] = -(1L << 35);
    for (int i = 1; i < 16; i++) {
      start[i] = yLo + i * step + rnd.nextLong(step);
    }
    Arrays.sort(start);
    for (int i = 0; i < 16; i++) {
      mul[i] = rnd.nextInt(-32768, 32768);
      shift[i] = Math.max(0, 64 - Long.numberOfLeadingZeros(step * Math.abs((long) mul[i]) + 1) - 7 + rnd.nextInt(3));
      bias[i] = rnd.nextInt(256);
    }
    if (id % 5 == 4) { // a table whose starts do not ascend: the top-down segment search
      for (int i = 15; i > 1; i--) {
        int j = 1 + rnd.nextInt(i);
        long t = start[i];
        start[i] = start[j];
        start[j] = t;
      }
    }
    KpuActivation.Segment[] segs = new KpuActivation.Segment[16];
    for (int i = 0; i < 16; i++) {
      segs[i] = new KpuActivation.Segment(start[i], mul[i], shift[i], bias[i]);
    }

    int ow = KpuPoolUnit.outputSize(w, pool);
    int oh = KpuPoolUnit.outputSize(h, pool);
    long inLines = KpuLayout.lines(w, h, ic);
    KpuLayerArgument arg = KpuTestLayers.argument(ic, oc, h, w, oh, ow, k, dw, pool, pad, argX, shX, argW, shW, argAdd);
    byte[] wBytes = KpuTestLayers.weightBytes(weights, eightBit);
    K210ConvLayer layer = K210ConvLayer.of(0, 0, arg, wBytes, bn, KpuActivation.of(segs));

    byte[][] ramOut = new byte[2][];
    double[][] values = new double[2][];
    for (int path = 0; path < 2; path++) {
      KpuRam ram = new KpuRam(SimMode.UINT8);
      ram.upload(0, x, w, h, ic, where);
      KpuConvLayerExecutor.Stats s = KpuConvLayerExecutor.run(layer, eightBit ? 1 : 2, ram,
          new MainMemory(8, SimMode.UINT8), SimMode.UINT8, where, false, path == 1);
      values[path] = s.values();
      double[] back = ram.download(inLines, ow, oh, oc, where);
      ramOut[path] = new byte[back.length];
      for (int i = 0; i < back.length; i++) {
        ramOut[path][i] = (byte) back[i];
      }
    }
    assertArrayEquals(values[0], values[1], where + ": layer outputs");
    assertArrayEquals(ramOut[0], ramOut[1], where + ": output bytes in KPU RAM");
    if (withReference) {
      KpuConvReference.Layer ref = new KpuConvReference.Layer(ic, oc, h, w, k, dw, pad, argX, shX, argW, shW,
          argAdd, weights, bnMul, bnShift, bnAdd, start, mul, shift, bias, pool);
      int[] expected = KpuConvReference.run(in, ref);
      assertEquals(expected.length, values[1].length, where);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], (int) values[1][i], where + ": element " + i + " against the reference");
      }
    }
    int distinct = (int) Arrays.stream(values[1]).distinct().count();
    return new Outcome(KpuConvUnit.intSumsExact(weights, p), distinct);
  }
}
