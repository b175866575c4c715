package dev.kbyoc.kendryte.sim;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The uint8 KPU convolution ({@link KpuConvUnit#convolve} in {@link SimMode#UINT8}) on the Vector
 * API: the same accumulators, computed with int lanes instead of double loops. Only called when
 * {@link KpuConvUnit#intSumsExact} holds (every partial sum of non-negative products fits an int,
 * so int and the scalar path's exact double agree), and only loaded when {@link
 * KpuVectors#enabled()}.
 *
 * <p>Algorithm:
 *
 * <ol>
 *   <li>The input is copied to ints, each channel padded with pad_value to (h+2p) x (w+2p), and
 *       outputs are computed on rows of the padded width: output position {@code y*wp + x} of tap
 *       (ky, kx) of channel c reads {@code c*hp*wp + ky*wp + kx + y*wp + x}, so a tap is one
 *       contiguous run of the input and a vector of columns is one load. The 2p columns per row that
 *       read across the padding, and the lanes past the last row, are computed and dropped.
 *   <li>Normal convolution: 8 output channels x 2 vectors of columns stay in registers while the
 *       loop walks K = ic x k x k (input channel, tap), loading each input vector once and
 *       broadcasting one weight per channel (weights repacked [block][K][8]); leftover channels and
 *       the window sum {@code sum(x)} (a channel whose weights are all 1) run one channel at a
 *       time. Depthwise: per channel, the weighted and the plain window sums together.
 *   <li>The argument terms {@code (arg_x sum(x) >> shift_x) + (arg_w sum(w) >> shift_w) + arg_add
 *       ic} are added in long, as in the scalar code, while copying to C x H x W.
 * </ol>
 *
 * <p>Vectors stay in straight-line code inside each kernel: on JDK 17 a vector passed to a method
 * that is not inlined, or merged from two branches, is boxed (docs/performance.md, "Vector API").
 */
final class KpuConvVectorUnit {
  private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Columns per tile: two vectors. */
  private static final int T = 2 * L;
  /** Output channels per register block. */
  private static final int B = 8;

  private KpuConvVectorUnit() {}

  /** The accumulators (out x h x w) of a uint8 layer; equal to the scalar path's. */
  static double[] convolve(double[] x, int[] weights, KpuConvUnit.Params p) {
    int k = p.kernel();
    int kk = k * k;
    int pad = k == 3 ? 1 : 0;
    int h = p.height();
    int w = p.width();
    int hp = h + 2 * pad;
    int wp = w + 2 * pad;
    int ic = p.inChannels();
    int oc = p.outChannels();
    int span = (h - 1) * wp + w;
    int spanPad = (span + T - 1) / T * T;
    int[] xp = padded(x, ic, h, w, pad, p.padValue(), spanPad + k * wp);
    int[] taps = new int[kk];
    for (int ky = 0; ky < k; ky++) {
      for (int kx = 0; kx < k; kx++) {
        taps[ky * k + kx] = ky * wp + kx;
      }
    }
    int[] sums = new int[oc * spanPad];
    int[] xsums = p.depthwise() ? new int[oc * spanPad] : new int[spanPad];
    if (p.depthwise()) {
      for (int c = 0; c < oc; c++) {
        for (int col = 0; col < spanPad; col += T) {
          depthwise(weights, c * kk, kk, xp, c * hp * wp + col, taps, sums, xsums, c * spanPad + col);
        }
      }
    } else {
      normal(weights, ic, oc, kk, xp, hp * wp, taps, spanPad, sums, xsums);
    }
    return withArgumentTerms(sums, xsums, weights, p, spanPad, wp);
  }

  private static void normal(int[] weights, int ic, int oc, int kk, int[] xp, int chStride, int[] taps, int spanPad,
      int[] sums, int[] xsums) {
    int kLen = ic * kk;
    int[] off = new int[kLen];
    for (int c = 0; c < ic; c++) {
      for (int t = 0; t < kk; t++) {
        off[c * kk + t] = c * chStride + taps[t];
      }
    }
    int blocks = oc / B;
    int[] packed = new int[blocks * kLen * B];
    for (int b = 0; b < blocks; b++) {
      for (int i = 0; i < kLen; i++) {
        for (int j = 0; j < B; j++) {
          packed[(b * kLen + i) * B + j] = weights[(b * B + j) * kLen + i];
        }
      }
    }
    for (int b = 0; b < blocks; b++) {
      for (int col = 0; col < spanPad; col += T) {
        block8(packed, b * kLen * B, kLen, xp, off, col, sums, b * B * spanPad + col, spanPad);
      }
    }
    for (int o = blocks * B; o < oc; o++) {
      for (int col = 0; col < spanPad; col += T) {
        single(weights, o * kLen, kLen, xp, off, col, sums, o * spanPad + col);
      }
    }
    int[] ones = new int[kLen];
    java.util.Arrays.fill(ones, 1);
    for (int col = 0; col < spanPad; col += T) {
      single(ones, 0, kLen, xp, off, col, xsums, col);
    }
  }

  /** 8 channels x 2 vectors: {@code out[o + j*ld + col'] = sum_i wt[wo + i*8 + j] * xp[off[i] + col + col']}. */
  private static void block8(int[] wt, int wo, int kLen, int[] xp, int[] off, int col, int[] out, int o, int ld) {
    IntVector z = IntVector.zero(S);
    IntVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
    IntVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
    for (int i = 0; i < kLen; i++) {
      int q = off[i] + col;
      IntVector b0 = IntVector.fromArray(S, xp, q);
      IntVector b1 = IntVector.fromArray(S, xp, q + L);
      int r = wo + i * B;
      IntVector v = IntVector.broadcast(S, wt[r]);
      c00 = c00.add(b0.mul(v));
      c01 = c01.add(b1.mul(v));
      v = IntVector.broadcast(S, wt[r + 1]);
      c10 = c10.add(b0.mul(v));
      c11 = c11.add(b1.mul(v));
      v = IntVector.broadcast(S, wt[r + 2]);
      c20 = c20.add(b0.mul(v));
      c21 = c21.add(b1.mul(v));
      v = IntVector.broadcast(S, wt[r + 3]);
      c30 = c30.add(b0.mul(v));
      c31 = c31.add(b1.mul(v));
      v = IntVector.broadcast(S, wt[r + 4]);
      c40 = c40.add(b0.mul(v));
      c41 = c41.add(b1.mul(v));
      v = IntVector.broadcast(S, wt[r + 5]);
      c50 = c50.add(b0.mul(v));
      c51 = c51.add(b1.mul(v));
      v = IntVector.broadcast(S, wt[r + 6]);
      c60 = c60.add(b0.mul(v));
      c61 = c61.add(b1.mul(v));
      v = IntVector.broadcast(S, wt[r + 7]);
      c70 = c70.add(b0.mul(v));
      c71 = c71.add(b1.mul(v));
    }
    c00.intoArray(out, o);
    c01.intoArray(out, o + L);
    c10.intoArray(out, o + ld);
    c11.intoArray(out, o + ld + L);
    c20.intoArray(out, o + 2 * ld);
    c21.intoArray(out, o + 2 * ld + L);
    c30.intoArray(out, o + 3 * ld);
    c31.intoArray(out, o + 3 * ld + L);
    c40.intoArray(out, o + 4 * ld);
    c41.intoArray(out, o + 4 * ld + L);
    c50.intoArray(out, o + 5 * ld);
    c51.intoArray(out, o + 5 * ld + L);
    c60.intoArray(out, o + 6 * ld);
    c61.intoArray(out, o + 6 * ld + L);
    c70.intoArray(out, o + 7 * ld);
    c71.intoArray(out, o + 7 * ld + L);
  }

  /** One channel x 2 vectors, weights {@code wt[wo + i]}. */
  private static void single(int[] wt, int wo, int kLen, int[] xp, int[] off, int col, int[] out, int o) {
    IntVector c0 = IntVector.zero(S);
    IntVector c1 = c0;
    for (int i = 0; i < kLen; i++) {
      int q = off[i] + col;
      IntVector v = IntVector.broadcast(S, wt[wo + i]);
      c0 = c0.add(IntVector.fromArray(S, xp, q).mul(v));
      c1 = c1.add(IntVector.fromArray(S, xp, q + L).mul(v));
    }
    c0.intoArray(out, o);
    c1.intoArray(out, o + L);
  }

  /** One depthwise channel x 2 vectors: weighted sums into {@code out}, plain window sums into {@code xs}. */
  private static void depthwise(int[] wt, int wo, int kk, int[] xp, int base, int[] taps, int[] out, int[] xs,
      int o) {
    IntVector c0 = IntVector.zero(S);
    IntVector c1 = c0;
    IntVector s0 = c0;
    IntVector s1 = c0;
    for (int t = 0; t < kk; t++) {
      int q = base + taps[t];
      IntVector b0 = IntVector.fromArray(S, xp, q);
      IntVector b1 = IntVector.fromArray(S, xp, q + L);
      IntVector v = IntVector.broadcast(S, wt[wo + t]);
      c0 = c0.add(b0.mul(v));
      c1 = c1.add(b1.mul(v));
      s0 = s0.add(b0);
      s1 = s1.add(b1);
    }
    c0.intoArray(out, o);
    c1.intoArray(out, o + L);
    s0.intoArray(xs, o);
    s1.intoArray(xs, o + L);
  }

  /** The input as ints, channels padded with padValue to (h+2p) x (w+2p), then {@code tail} zeros. */
  private static int[] padded(double[] x, int c, int h, int w, int pad, int padValue, int tail) {
    int hp = h + 2 * pad;
    int wp = w + 2 * pad;
    int[] r = new int[c * hp * wp + tail];
    if (pad != 0) {
      java.util.Arrays.fill(r, 0, c * hp * wp, padValue);
    }
    int i = 0;
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < h; y++) {
        int o = (ch * hp + y + pad) * wp + pad;
        for (int xx = 0; xx < w; xx++) {
          r[o + xx] = (int) x[i++];
        }
      }
    }
    return r;
  }

  /** C x H x W accumulators: the sums plus the argument terms, in long as {@link KpuConvUnit}. */
  private static double[] withArgumentTerms(int[] sums, int[] xsums, int[] weights, KpuConvUnit.Params p,
      int spanPad, int wp) {
    int h = p.height();
    int w = p.width();
    int plane = h * w;
    int oc = p.outChannels();
    int kw = p.depthwise() ? p.kernel() * p.kernel() : p.inChannels() * p.kernel() * p.kernel();
    int gic = p.depthwise() ? 1 : p.inChannels();
    long add = p.argAdd() * gic;
    long[] termX = new long[plane];
    double[] acc = new double[oc * plane];
    for (int o = 0; o < oc; o++) {
      if (o == 0 || p.depthwise()) {
        int xb = p.depthwise() ? o * spanPad : 0;
        for (int y = 0; y < h; y++) {
          for (int xx = 0; xx < w; xx++) {
            termX[y * w + xx] = Shifts.floorShift(p.argX() * xsums[xb + y * wp + xx], p.shiftX());
          }
        }
      }
      long sumW = 0;
      for (int i = 0; i < kw; i++) {
        sumW += weights[o * kw + i];
      }
      long termW = Shifts.floorShift(p.argW() * sumW, p.shiftW()) + add;
      for (int y = 0; y < h; y++) {
        int s = o * spanPad + y * wp;
        int d = o * plane + y * w;
        for (int xx = 0; xx < w; xx++) {
          acc[d + xx] = sums[s + xx] + termX[y * w + xx] + termW;
        }
      }
    }
    return acc;
  }
}
