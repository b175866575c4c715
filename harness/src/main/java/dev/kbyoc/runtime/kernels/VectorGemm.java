package dev.kbyoc.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API form of {@link Gemm#run}: register-blocked float microkernels that keep 8 (or 4,
 * or 1) rows of C times 2 (or 1) vectors of columns in registers while walking K, broadcast
 * one A element per row and load each B vector once per row block, and apply the {@link Epilogue}
 * before the single store. Columns past the last whole vector are summed by scalar loops. Only
 * loaded when {@link Simd#enabled()}.
 */
final class VectorGemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorGemm() {}

  /** Float lanes per vector. */
  static int lanes() {
    return L;
  }

  static void run(float[] a, int aOff, int k, int m0, int m1, float[] src, int bBase, int[] bOff, int n,
      float[] c, int cOff, int ldc, Epilogue e, int biasOff) {
    run(a, aOff, k, m0, m1, src, bBase, bOff, n, c, cOff, ldc, e, biasOff, L);
  }

  /**
   * {@link #run} where the second vector of each pair of column vectors is read from B at
   * {@code second} floats after the first instead of {@link #lanes()}: with {@code second} the
   * phase width and n = 2 lanes, one product covers two output rows of a layer one vector wide (C
   * stays contiguous). Other callers pass the lanes; with another {@code second}, n must be one
   * or two lanes (no column tail).
   */
  static void run(float[] a, int aOff, int k, int m0, int m1, float[] src, int bBase, int[] bOff, int n,
      float[] c, int cOff, int ldc, Epilogue e, int biasOff, int second) {
    int m = m0;
    for (; m + 8 <= m1; m += 8) {
      int p = 0;
      for (; p + 2 * L <= n; p += 2 * L) {
        k8x2(a, aOff + m * k, k, src, bBase + p, second, bOff, c, cOff + m * ldc + p, ldc, e, biasOff + m);
      }
      for (; p + L <= n; p += L) {
        k4x1(a, aOff + m * k, k, src, bBase + p, bOff, c, cOff + m * ldc + p, ldc, e, biasOff + m);
        k4x1(a, aOff + (m + 4) * k, k, src, bBase + p, bOff, c, cOff + (m + 4) * ldc + p, ldc, e, biasOff + m + 4);
      }
      Gemm.scalarColumns(a, aOff, k, m, m + 8, src, bBase, bOff, p, n, c, cOff, ldc, e, biasOff);
    }
    for (; m + 4 <= m1; m += 4) {
      int p = 0;
      for (; p + 2 * L <= n; p += 2 * L) {
        k4x2(a, aOff + m * k, k, src, bBase + p, second, bOff, c, cOff + m * ldc + p, ldc, e, biasOff + m);
      }
      for (; p + L <= n; p += L) {
        k4x1(a, aOff + m * k, k, src, bBase + p, bOff, c, cOff + m * ldc + p, ldc, e, biasOff + m);
      }
      Gemm.scalarColumns(a, aOff, k, m, m + 4, src, bBase, bOff, p, n, c, cOff, ldc, e, biasOff);
    }
    for (; m < m1; m++) {
      int ch = biasOff + m;
      int act = e.act();
      int p;
      if (e.residual() != null) {
        // the row kernels take no residual (the compiler only fuses one into whole register
        // tiles); the plain path, with the second vector's columns read from where they are
        int split = Math.min(n, L);
        Gemm.scalarColumns(a, aOff, k, m, m + 1, src, bBase, bOff, 0, split, c, cOff, ldc, e, biasOff);
        Gemm.scalarColumns(a, aOff, k, m, m + 1, src, bBase + second - L, bOff, split, n, c, cOff, ldc, e, biasOff);
        continue;
      } else if (act == Epilogue.RELU) {
        p = rowRelu(a, aOff + m * k, k, src, bBase, second, bOff, n, c, cOff + m * ldc, e.biasOf(ch), e.scaleOf(ch),
            e.shiftOf(ch));
      } else {
        // no activation is a clip to [-inf, +inf]: no value (NaN, either zero) compares outside it
        boolean clip = act == Epilogue.CLIP;
        p = rowClip(a, aOff + m * k, k, src, bBase, second, bOff, n, c, cOff + m * ldc, e.biasOf(ch), e.scaleOf(ch),
            e.shiftOf(ch), clip ? e.lo() : Float.NEGATIVE_INFINITY, clip ? e.hi() : Float.POSITIVE_INFINITY);
      }
      Gemm.scalarColumns(a, aOff, k, m, m + 1, src, bBase, bOff, p, n, c, cOff, ldc, e, biasOff);
    }
  }

  /*
   * One row of C (a depthwise channel, or the last rows of a block) finished in registers: relu,
   * or clip (no activation clips to the infinities), one method each with straight-line vector
   * code (no vector crosses a call or a branch), two vectors of columns per step so two sum
   * chains overlap, then one vector; no tile. Each returns the first column left for the scalar
   * tail.
   */

  private static int rowRelu(float[] a, int r0, int k, float[] src, int b, int second, int[] bOff, int n, float[] c, int o,
      float bias, float scale, float shift) {
    FloatVector z = FloatVector.zero(S);
    int p = 0;
    for (; p + 2 * L <= n; p += 2 * L) {
      FloatVector c0 = z, c1 = z;
      for (int i = 0; i < k; i++) {
        int q = b + p + bOff[i];
        FloatVector w = FloatVector.broadcast(S, a[r0 + i]);
        c0 = FloatVector.fromArray(S, src, q).fma(w, c0);
        c1 = FloatVector.fromArray(S, src, q + second).fma(w, c1);
      }
      FloatVector v0 = c0.add(bias).mul(scale).add(shift);
      FloatVector v1 = c1.add(bias).mul(scale).add(shift);
      z.blend(v0, v0.compare(VectorOperators.GT, z)).intoArray(c, o + p);
      z.blend(v1, v1.compare(VectorOperators.GT, z)).intoArray(c, o + p + L);
    }
    for (; p + L <= n; p += L) {
      FloatVector c0 = z;
      for (int i = 0; i < k; i++) {
        c0 = FloatVector.fromArray(S, src, b + p + bOff[i]).fma(FloatVector.broadcast(S, a[r0 + i]), c0);
      }
      FloatVector v0 = c0.add(bias).mul(scale).add(shift);
      z.blend(v0, v0.compare(VectorOperators.GT, z)).intoArray(c, o + p);
    }
    return p;
  }

  private static int rowClip(float[] a, int r0, int k, float[] src, int b, int second, int[] bOff, int n, float[] c, int o,
      float bias, float scale, float shift, float min, float max) {
    FloatVector lo = FloatVector.broadcast(S, min);
    FloatVector hi = FloatVector.broadcast(S, max);
    VectorOperators.Comparison below = Epilogue.lowTest(min) ? VectorOperators.LE : VectorOperators.LT;
    VectorOperators.Comparison above = Epilogue.highTest(max) ? VectorOperators.GE : VectorOperators.GT;
    int p = 0;
    for (; p + 2 * L <= n; p += 2 * L) {
      FloatVector c0 = FloatVector.zero(S), c1 = c0;
      for (int i = 0; i < k; i++) {
        int q = b + p + bOff[i];
        FloatVector w = FloatVector.broadcast(S, a[r0 + i]);
        c0 = FloatVector.fromArray(S, src, q).fma(w, c0);
        c1 = FloatVector.fromArray(S, src, q + second).fma(w, c1);
      }
      FloatVector v0 = c0.add(bias).mul(scale).add(shift);
      FloatVector v1 = c1.add(bias).mul(scale).add(shift);
      v0 = v0.blend(lo, v0.compare(below, lo));
      v1 = v1.blend(lo, v1.compare(below, lo));
      v0.blend(hi, v0.compare(above, hi)).intoArray(c, o + p);
      v1.blend(hi, v1.compare(above, hi)).intoArray(c, o + p + L);
    }
    for (; p + L <= n; p += L) {
      FloatVector c0 = FloatVector.zero(S);
      for (int i = 0; i < k; i++) {
        c0 = FloatVector.fromArray(S, src, b + p + bOff[i]).fma(FloatVector.broadcast(S, a[r0 + i]), c0);
      }
      FloatVector v0 = c0.add(bias).mul(scale).add(shift);
      v0 = v0.blend(lo, v0.compare(below, lo));
      v0.blend(hi, v0.compare(above, hi)).intoArray(c, o + p);
    }
    return p;
  }

  /** See {@link Gemm#allFinite}. */
  static boolean allFinite(float[] w, int len) {
    FloatVector acc = FloatVector.zero(S);
    int i = 0;
    for (; i + L <= len; i += L) {
      FloatVector v = FloatVector.fromArray(S, w, i);
      acc = acc.add(v.sub(v));
    }
    float s = acc.reduceLanes(VectorOperators.ADD);
    for (; i < len; i++) {
      s += w[i] - w[i];
    }
    return s == 0f;
  }

  /** Per-thread tile of sums (8 rows x 4 vectors) between a kernel and {@link #flush}. */
  private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[8 * 4 * L]);

  /**
   * Finishes a tile of {@code rows x cols} sums (row stride {@code cols}): adds the bias,
   * multiplies by the multiplier, adds the offset (the neutral -0, 1, -0 where the epilogue has
   * none), applies the activation and stores it at {@code c[o + r*ldc + j]}; with a residual, the
   * stored rows then get it added and the activation applied ({@link FloatOps#addActivation}).
   * Kept apart from the kernels, taking no vector arguments, with one straight loop per
   * activation (a vector passed to a method C2 does not inline, or merged from two branches, is
   * boxed on JDK 17).
   */
  private static void flush(float[] tile, int rows, int cols, float[] c, int o, int ldc, Epilogue e, int ch) {
    float[] res = e.residual();
    // with a residual, the activation comes after it: stored values are finished below
    int act = res == null ? e.act() : Epilogue.NONE;
    for (int r = 0; r < rows; r++) {
      float b = e.biasOf(ch + r);
      float s = e.scaleOf(ch + r);
      float h = e.shiftOf(ch + r);
      int t = r * cols;
      int d = o + r * ldc;
      if (act == Epilogue.RELU) {
        FloatVector z = FloatVector.zero(S);
        for (int j = 0; j < cols; j += L) {
          FloatVector v = FloatVector.fromArray(S, tile, t + j).add(b).mul(s).add(h);
          z.blend(v, v.compare(VectorOperators.GT, z)).intoArray(c, d + j);
        }
      } else if (act == Epilogue.CLIP) {
        FloatVector lo = FloatVector.broadcast(S, e.lo());
        FloatVector hi = FloatVector.broadcast(S, e.hi());
        VectorOperators.Comparison below = Epilogue.lowTest(e.lo()) ? VectorOperators.LE : VectorOperators.LT;
        VectorOperators.Comparison above = Epilogue.highTest(e.hi()) ? VectorOperators.GE : VectorOperators.GT;
        for (int j = 0; j < cols; j += L) {
          FloatVector v = FloatVector.fromArray(S, tile, t + j).add(b).mul(s).add(h);
          v = v.blend(lo, v.compare(below, lo));
          v.blend(hi, v.compare(above, hi)).intoArray(c, d + j);
        }
      } else {
        for (int j = 0; j < cols; j += L) {
          FloatVector.fromArray(S, tile, t + j).add(b).mul(s).add(h).intoArray(c, d + j);
        }
      }
    }
    for (int r = 0; res != null && r < rows; r++) {
      // the residual at each element's own index in c, then the activation (rows still in cache)
      FloatOps.addActivation(c, o + r * ldc, res, c, o + r * ldc, cols, e);
    }
  }

  private static void k8x2(float[] a, int r0, int k, float[] src, int b, int second, int[] bOff, float[] c, int o, int ldc,
      Epilogue e, int ch) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
    FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
    int r1 = r0 + k, r2 = r1 + k, r3 = r2 + k, r4 = r3 + k, r5 = r4 + k, r6 = r5 + k, r7 = r6 + k;
    for (int i = 0; i < k; i++) {
      int q = b + bOff[i];
      FloatVector b0 = FloatVector.fromArray(S, src, q);
      FloatVector b1 = FloatVector.fromArray(S, src, q + second);
      FloatVector w = FloatVector.broadcast(S, a[r0 + i]);
      c00 = b0.fma(w, c00);
      c01 = b1.fma(w, c01);
      w = FloatVector.broadcast(S, a[r1 + i]);
      c10 = b0.fma(w, c10);
      c11 = b1.fma(w, c11);
      w = FloatVector.broadcast(S, a[r2 + i]);
      c20 = b0.fma(w, c20);
      c21 = b1.fma(w, c21);
      w = FloatVector.broadcast(S, a[r3 + i]);
      c30 = b0.fma(w, c30);
      c31 = b1.fma(w, c31);
      w = FloatVector.broadcast(S, a[r4 + i]);
      c40 = b0.fma(w, c40);
      c41 = b1.fma(w, c41);
      w = FloatVector.broadcast(S, a[r5 + i]);
      c50 = b0.fma(w, c50);
      c51 = b1.fma(w, c51);
      w = FloatVector.broadcast(S, a[r6 + i]);
      c60 = b0.fma(w, c60);
      c61 = b1.fma(w, c61);
      w = FloatVector.broadcast(S, a[r7 + i]);
      c70 = b0.fma(w, c70);
      c71 = b1.fma(w, c71);
    }
    float[] t = TILE.get();
    c00.intoArray(t, 0);
    c01.intoArray(t, L);
    c10.intoArray(t, 2 * L);
    c11.intoArray(t, 3 * L);
    c20.intoArray(t, 4 * L);
    c21.intoArray(t, 5 * L);
    c30.intoArray(t, 6 * L);
    c31.intoArray(t, 7 * L);
    c40.intoArray(t, 8 * L);
    c41.intoArray(t, 9 * L);
    c50.intoArray(t, 10 * L);
    c51.intoArray(t, 11 * L);
    c60.intoArray(t, 12 * L);
    c61.intoArray(t, 13 * L);
    c70.intoArray(t, 14 * L);
    c71.intoArray(t, 15 * L);
    flush(t, 8, 2 * L, c, o, ldc, e, ch);
  }

  private static void k4x2(float[] a, int r0, int k, float[] src, int b, int second, int[] bOff, float[] c, int o, int ldc,
      Epilogue e, int ch) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
    int r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
    for (int i = 0; i < k; i++) {
      int q = b + bOff[i];
      FloatVector b0 = FloatVector.fromArray(S, src, q);
      FloatVector b1 = FloatVector.fromArray(S, src, q + second);
      FloatVector w = FloatVector.broadcast(S, a[r0 + i]);
      c00 = b0.fma(w, c00);
      c01 = b1.fma(w, c01);
      w = FloatVector.broadcast(S, a[r1 + i]);
      c10 = b0.fma(w, c10);
      c11 = b1.fma(w, c11);
      w = FloatVector.broadcast(S, a[r2 + i]);
      c20 = b0.fma(w, c20);
      c21 = b1.fma(w, c21);
      w = FloatVector.broadcast(S, a[r3 + i]);
      c30 = b0.fma(w, c30);
      c31 = b1.fma(w, c31);
    }
    float[] t = TILE.get();
    c00.intoArray(t, 0);
    c01.intoArray(t, L);
    c10.intoArray(t, 2 * L);
    c11.intoArray(t, 3 * L);
    c20.intoArray(t, 4 * L);
    c21.intoArray(t, 5 * L);
    c30.intoArray(t, 6 * L);
    c31.intoArray(t, 7 * L);
    flush(t, 4, 2 * L, c, o, ldc, e, ch);
  }

  private static void k4x1(float[] a, int r0, int k, float[] src, int b, int[] bOff, float[] c, int o, int ldc,
      Epilogue e, int ch) {
    FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
    int r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
    for (int i = 0; i < k; i++) {
      FloatVector b0 = FloatVector.fromArray(S, src, b + bOff[i]);
      c0 = b0.fma(FloatVector.broadcast(S, a[r0 + i]), c0);
      c1 = b0.fma(FloatVector.broadcast(S, a[r1 + i]), c1);
      c2 = b0.fma(FloatVector.broadcast(S, a[r2 + i]), c2);
      c3 = b0.fma(FloatVector.broadcast(S, a[r3 + i]), c3);
    }
    float[] t = TILE.get();
    c0.intoArray(t, 0);
    c1.intoArray(t, L);
    c2.intoArray(t, 2 * L);
    c3.intoArray(t, 3 * L);
    flush(t, 4, L, c, o, ldc, e, ch);
  }


}
