package dev.kbyoc.runtime.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exact form of {@link Gemm#run}: the same register blocking as {@link VectorGemm}, but each
 * B vector is widened to doubles and the sums are double fused multiply-adds in k order. A
 * product of two floats is exact in double, so every sum is the reference kernel's double sum in
 * the reference's order, rounded to float once: the results are bit-identical to the reference
 * convolution (then the float bias add and the activation, as the separate reference ops). Half
 * the lanes of the float kernels. Only loaded when {@link Simd#enabled()}.
 */
final class VectorGemmExact {
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
  private static final int L = D.length();

  private VectorGemmExact() {}

  static void run(float[] a, int aOff, int k, int m0, int m1, float[] src, int bBase, int[] bOff, int n,
      float[] c, int cOff, int ldc, Epilogue e, int biasOff) {
    int m = m0;
    for (; m + 8 <= m1; m += 8) {
      int p = 0;
      for (; p + 2 * L <= n; p += 2 * L) {
        k8x2(a, aOff + m * k, k, src, bBase + p, bOff, c, cOff + m * ldc + p, ldc, e, biasOff + m);
      }
      Gemm.exactColumns(a, aOff, k, m, m + 8, src, bBase, bOff, p, n, c, cOff, ldc, e, biasOff);
    }
    for (; m < m1; m++) {
      int p = 0;
      for (; p + 4 * L <= n; p += 4 * L) {
        k1x4(a, aOff + m * k, k, src, bBase + p, bOff, c, cOff + m * ldc + p, e, biasOff + m);
      }
      for (; p + L <= n; p += L) {
        k1x1(a, aOff + m * k, k, src, bBase + p, bOff, c, cOff + m * ldc + p, e, biasOff + m);
      }
      Gemm.exactColumns(a, aOff, k, m, m + 1, src, bBase, bOff, p, n, c, cOff, ldc, e, biasOff);
    }
  }

  /** Per-thread tile of double sums (8 rows x 4 vectors) between a kernel and {@link #flush}. */
  private static final ThreadLocal<double[]> TILE = ThreadLocal.withInitial(() -> new double[8 * 4 * L]);

  /**
   * Rounds a tile of {@code rows x cols} double sums (row stride {@code cols}) to float, adds the
   * bias, applies the activation and stores it at {@code c[o + r*ldc + j]}. Kept apart from the
   * kernels and taking no vector arguments, with one straight loop per activation (a vector value
   * merged from two branches would be boxed by C2 on JDK 17), so every vector operation stays
   * intrinsified. Adding a zero bias changes nothing: an exact sum starting at +0 is never -0.
   */
  private static void flush(double[] tile, int rows, int cols, float[] c, int o, int ldc, Epilogue e, int ch) {
    int act = e.act();
    for (int r = 0; r < rows; r++) {
      float b = e.bias() == null ? 0f : e.bias()[ch + r];
      int t = r * cols;
      int d = o + r * ldc;
      if (act == Epilogue.RELU) {
        FloatVector z = FloatVector.zero(F);
        for (int j = 0; j < cols; j += L) {
          FloatVector v = ((FloatVector) DoubleVector.fromArray(D, tile, t + j).convertShape(VectorOperators.D2F, F, 0)).add(b);
          z.blend(v, v.compare(VectorOperators.GT, z)).intoArray(c, d + j);
        }
      } else if (act == Epilogue.CLIP) {
        FloatVector lo = FloatVector.broadcast(F, e.lo());
        FloatVector hi = FloatVector.broadcast(F, e.hi());
        VectorOperators.Comparison below = Epilogue.lowTest(e.lo()) ? VectorOperators.LE : VectorOperators.LT;
        VectorOperators.Comparison above = Epilogue.highTest(e.hi()) ? VectorOperators.GE : VectorOperators.GT;
        for (int j = 0; j < cols; j += L) {
          FloatVector v = ((FloatVector) DoubleVector.fromArray(D, tile, t + j).convertShape(VectorOperators.D2F, F, 0)).add(b);
          v = v.blend(lo, v.compare(below, lo));
          v.blend(hi, v.compare(above, hi)).intoArray(c, d + j);
        }
      } else {
        for (int j = 0; j < cols; j += L) {
          ((FloatVector) DoubleVector.fromArray(D, tile, t + j).convertShape(VectorOperators.D2F, F, 0)).add(b)
              .intoArray(c, d + j);
        }
      }
    }
  }

  private static void k8x2(float[] a, int r0, int k, float[] src, int b, int[] bOff, float[] c, int o, int ldc,
      Epilogue e, int ch) {
    DoubleVector z = DoubleVector.zero(D);
    DoubleVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
    DoubleVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
    int r1 = r0 + k, r2 = r1 + k, r3 = r2 + k, r4 = r3 + k, r5 = r4 + k, r6 = r5 + k, r7 = r6 + k;
    for (int i = 0; i < k; i++) {
      int q = b + bOff[i];
      DoubleVector b0 = ((DoubleVector) FloatVector.fromArray(F, src, q).convertShape(VectorOperators.F2D, D, 0));
      DoubleVector b1 = ((DoubleVector) FloatVector.fromArray(F, src, q + L).convertShape(VectorOperators.F2D, D, 0));
      DoubleVector w = DoubleVector.broadcast(D, a[r0 + i]);
      c00 = b0.fma(w, c00);
      c01 = b1.fma(w, c01);
      w = DoubleVector.broadcast(D, a[r1 + i]);
      c10 = b0.fma(w, c10);
      c11 = b1.fma(w, c11);
      w = DoubleVector.broadcast(D, a[r2 + i]);
      c20 = b0.fma(w, c20);
      c21 = b1.fma(w, c21);
      w = DoubleVector.broadcast(D, a[r3 + i]);
      c30 = b0.fma(w, c30);
      c31 = b1.fma(w, c31);
      w = DoubleVector.broadcast(D, a[r4 + i]);
      c40 = b0.fma(w, c40);
      c41 = b1.fma(w, c41);
      w = DoubleVector.broadcast(D, a[r5 + i]);
      c50 = b0.fma(w, c50);
      c51 = b1.fma(w, c51);
      w = DoubleVector.broadcast(D, a[r6 + i]);
      c60 = b0.fma(w, c60);
      c61 = b1.fma(w, c61);
      w = DoubleVector.broadcast(D, a[r7 + i]);
      c70 = b0.fma(w, c70);
      c71 = b1.fma(w, c71);
    }
    double[] t = TILE.get();
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

  private static void k1x4(float[] a, int r0, int k, float[] src, int b, int[] bOff, float[] c, int o, Epilogue e,
      int ch) {
    DoubleVector c0 = DoubleVector.zero(D), c1 = c0, c2 = c0, c3 = c0;
    for (int i = 0; i < k; i++) {
      int q = b + bOff[i];
      DoubleVector w = DoubleVector.broadcast(D, a[r0 + i]);
      c0 = ((DoubleVector) FloatVector.fromArray(F, src, q).convertShape(VectorOperators.F2D, D, 0)).fma(w, c0);
      c1 = ((DoubleVector) FloatVector.fromArray(F, src, q + L).convertShape(VectorOperators.F2D, D, 0)).fma(w, c1);
      c2 = ((DoubleVector) FloatVector.fromArray(F, src, q + 2 * L).convertShape(VectorOperators.F2D, D, 0)).fma(w, c2);
      c3 = ((DoubleVector) FloatVector.fromArray(F, src, q + 3 * L).convertShape(VectorOperators.F2D, D, 0)).fma(w, c3);
    }
    double[] t = TILE.get();
    c0.intoArray(t, 0);
    c1.intoArray(t, L);
    c2.intoArray(t, 2 * L);
    c3.intoArray(t, 3 * L);
    flush(t, 1, 4 * L, c, o, 0, e, ch);
  }

  private static void k1x1(float[] a, int r0, int k, float[] src, int b, int[] bOff, float[] c, int o, Epilogue e,
      int ch) {
    DoubleVector c0 = DoubleVector.zero(D);
    for (int i = 0; i < k; i++) {
      c0 = ((DoubleVector) FloatVector.fromArray(F, src, b + bOff[i]).convertShape(VectorOperators.F2D, D, 0)).fma(DoubleVector.broadcast(D, a[r0 + i]), c0);
    }
    double[] t = TILE.get();
    c0.intoArray(t, 0);
    flush(t, 1, L, c, o, 0, e, ch);
  }
}
