package dev.kbyoc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Vector API microkernels against the plain loop that runs without {@code jdk.incubator.vector}
 * (both sum with float fused multiply-adds in k order, so they must give the same bits for every
 * row-block and column-tail shape), and sampled outputs against a float fused multiply-add chain
 * in k order computed here.
 */
class GemmTest {
  private final Random rnd = new Random(42);

  @Test
  void theTestForksRunTheVectorKernels() {
    assertTrue(Simd.enabled(), "surefire must pass --add-modules jdk.incubator.vector (kbyoc.jvm.args)");
  }

  @Test
  void vectorAndPlainKernelsGiveTheSameBits() {
    Epilogue[] epilogues = new Epilogue[7];
    for (int t = 0; t < 200; t++) {
      int m = 1 + rnd.nextInt(21);
      int k = 1 + rnd.nextInt(40);
      int n = 1 + rnd.nextInt(100);
      int ldc = n + rnd.nextInt(5);
      float[] a = values(m * k + 3);
      float[] src = values(k * 7 + n + 50);
      int[] bOff = new int[k];
      for (int i = 0; i < k; i++) {
        bOff[i] = rnd.nextInt(k * 7 + 40);
      }
      float[] bias = values(m + 2);
      epilogues[1] = Epilogue.IDENTITY.withBias(bias);
      epilogues[2] = Epilogue.IDENTITY.withBias(bias).withRelu();
      epilogues[0] = Epilogue.IDENTITY;
      epilogues[3] = Epilogue.IDENTITY.withClip(-0.5f, 0.75f).withAffine(values(m + 2), rnd.nextBoolean() ? values(m + 2) : null);
      // a residual laid out as C, added at each element's own index (rows outside a whole
      // register tile take the plain path, which must add it too)
      float[] residual = values(m * ldc + 3);
      epilogues[4] = Epilogue.IDENTITY.withResidual(residual);
      epilogues[5] = epilogues[2].withResidual(residual);
      epilogues[6] = epilogues[3].withResidual(residual);
      Epilogue e = epilogues[t % epilogues.length];
      int m0 = rnd.nextInt(m);
      String what = "m=" + m + " k=" + k + " n=" + n + " rows from " + m0 + " act " + e.act();
      float[] fast = new float[m * ldc + 3];
      float[] plain = new float[m * ldc + 3];
      Gemm.run(a, 1, k, m0, m, src, 2, bOff, n, fast, 3, ldc, e, 1);
      Gemm.scalar(a, 1, k, m0, m, src, 2, bOff, n, plain, 3, ldc, e, 1);
      assertArrayEquals(plain, fast, what);
      for (int r = m0; r < m; r++) {
        int p = rnd.nextInt(n);
        float s = 0f;
        for (int i = 0; i < k; i++) {
          s = Math.fma(a[1 + r * k + i], src[2 + bOff[i] + p], s);
        }
        assertEquals(e.finish(s, 1 + r, 3 + r * ldc + p), fast[3 + r * ldc + p], "row " + r + " column " + p);
      }
      // columns past n and rows before m0 stay untouched
      for (int r = 0; r < m; r++) {
        for (int p = 0; p < ldc; p++) {
          if (r < m0 || p >= n) {
            assertEquals(0f, fast[3 + r * ldc + p], "row " + r + " column " + p + " was written");
          }
        }
      }
    }
  }

  @Test
  void nonFiniteWeightsAreDetected() {
    for (int len : new int[] {1, 15, 16, 17, 100}) {
      float[] w = values(len);
      assertTrue(Gemm.allFinite(w, len));
      for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
        int at = rnd.nextInt(len);
        float keep = w[at];
        w[at] = bad;
        assertEquals(false, Gemm.allFinite(w, len), "len " + len + " at " + at);
        w[at] = keep;
      }
    }
  }

  private float[] values(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }
}
