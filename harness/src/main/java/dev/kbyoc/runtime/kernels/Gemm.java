package dev.kbyoc.runtime.kernels;

/**
 * The one matrix product every convolution runs:
 * {@code C[m][p] = epilogue(sum over k of A[m][k] * B[k][p])} for rows {@code m0 <= m < m1} and
 * columns {@code 0 <= p < n}, where {@code A[m][k] = a[aOff + m*k + k']} (row-major, as OIHW
 * weights are), {@code B[k][p] = src[bBase + bOff[k] + p]} (each row of B is a window of the
 * source at its own offset, so a padded input serves as an implicit im2col) and
 * {@code C[m][p] = c[cOff + m*ldc + p]}. Every sum is float fused multiply-adds from +0 in k
 * order, the reference's accumulation ({@link dev.kbyoc.op.Kernel}), whether computed by the
 * register-blocked {@link VectorGemm} or by {@link #scalar} without the Vector API (same bits);
 * then the {@link Epilogue} is applied (a residual at C's own index).
 */
final class Gemm {
  private Gemm() {}

  static void run(float[] a, int aOff, int k, int m0, int m1, float[] src, int bBase, int[] bOff, int n,
      float[] c, int cOff, int ldc, Epilogue e, int biasOff) {
    if (Simd.enabled()) {
      VectorGemm.run(a, aOff, k, m0, m1, src, bBase, bOff, n, c, cOff, ldc, e, biasOff);
    } else {
      scalar(a, aOff, k, m0, m1, src, bBase, bOff, n, c, cOff, ldc, e, biasOff);
    }
  }

  /** The plain-loop product: each C row is accumulated in place, one k at a time. */
  static void scalar(float[] a, int aOff, int k, int m0, int m1, float[] src, int bBase, int[] bOff, int n,
      float[] c, int cOff, int ldc, Epilogue e, int biasOff) {
    for (int m = m0; m < m1; m++) {
      int row = cOff + m * ldc;
      java.util.Arrays.fill(c, row, row + n, 0f);
      int ar = aOff + m * k;
      for (int i = 0; i < k; i++) {
        float w = a[ar + i];
        int q = bBase + bOff[i];
        for (int p = 0; p < n; p++) {
          c[row + p] = Math.fma(src[q + p], w, c[row + p]);
        }
      }
      for (int p = 0; p < n; p++) {
        c[row + p] = e.finish(c[row + p], biasOff + m, row + p);
      }
    }
  }

  /** Columns {@code p0 <= p < p1} of rows {@code m0 <= m < m1}, one dot product each (the vector kernels' tail). */
  static void scalarColumns(float[] a, int aOff, int k, int m0, int m1, float[] src, int bBase, int[] bOff,
      int p0, int p1, float[] c, int cOff, int ldc, Epilogue e, int biasOff) {
    for (int m = m0; m < m1; m++) {
      int ar = aOff + m * k;
      for (int p = p0; p < p1; p++) {
        float acc = 0f;
        for (int i = 0; i < k; i++) {
          acc = Math.fma(src[bBase + bOff[i] + p], a[ar + i], acc);
        }
        c[cOff + m * ldc + p] = e.finish(acc, biasOff + m, cOff + m * ldc + p);
      }
    }
  }

  /** Whether {@code w[0..len)} are all finite ({@code v - v} is exactly 0 for those, NaN otherwise). */
  static boolean allFinite(float[] w, int len) {
    if (Simd.enabled()) {
      return VectorGemm.allFinite(w, len);
    }
    float s0 = 0f;
    float s1 = 0f;
    int i = 0;
    for (; i + 1 < len; i += 2) {
      s0 += w[i] - w[i];
      s1 += w[i + 1] - w[i + 1];
    }
    for (; i < len; i++) {
      s0 += w[i] - w[i];
    }
    return s0 + s1 == 0f;
  }
}
