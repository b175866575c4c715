package dev.kbyoc.runtime.kernels;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TupleValue;
import java.util.List;

/**
 * float32 per-channel kernels: {@code nn.batch_norm} at inference and NCHW
 * {@code nn.global_avg_pool2d}. Both evaluate the reference's double expressions per element (the
 * square root hoisted per channel, which computes the same value), so results are identical; they
 * only drop the reference's per-element index arithmetic and boxing-free accessors.
 */
final class FastChannelOps {
  private FastChannelOps() {}

  /** {@code (x - mean) / sqrt(var + eps) * gamma + beta} around (outer, channels, inner). */
  static TupleValue batchNorm(NDArray x, NDArray gamma, NDArray beta, NDArray mean, NDArray var, int[] around,
      double eps, boolean center, boolean scale) {
    float[] a = x.floatData();
    float[] g = gamma.floatData();
    float[] b = beta.floatData();
    float[] m = mean.floatData();
    float[] v = var.floatData();
    NDArray y = NDArray.zeros(DType.FLOAT32, x.shape());
    float[] out = y.floatData();
    int i = 0;
    for (int o = 0; o < around[0]; o++) {
      for (int c = 0; c < around[1]; c++) {
        double mc = m[c];
        double sd = Math.sqrt(v[c] + eps);
        double gc = g[c];
        double bc = center ? b[c] : 0;
        for (int j = 0; j < around[2]; j++, i++) {
          double t = (a[i] - mc) / sd;
          out[i] = (float) ((scale ? t * gc : t) + bc);
        }
      }
    }
    return new TupleValue(List.of(y, mean.copy(), var.copy()));
  }

  /** NCHW global average: the plane's sum in order, divided by H*W. */
  static NDArray globalAvgPool(NDArray x) {
    int[] s = x.shape();
    int plane = s[2] * s[3];
    float[] a = x.floatData();
    NDArray y = NDArray.zeros(DType.FLOAT32, s[0], s[1], 1, 1);
    float[] out = y.floatData();
    for (int nc = 0; nc < s[0] * s[1]; nc++) {
      double acc = 0;
      int base = nc * plane;
      for (int i = 0; i < plane; i++) {
        acc += a[base + i];
      }
      out[nc] = (float) (acc / ((double) s[2] * s[3]));
    }
    return y;
  }
}
