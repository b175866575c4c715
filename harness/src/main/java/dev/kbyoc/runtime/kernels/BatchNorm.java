package dev.kbyoc.runtime.kernels;

import dev.kbyoc.ir.Attrs;

/**
 * {@code nn.batch_norm} at inference as a per-channel affine map in double,
 * {@code y = (float) ((x - mean) * k + t)} with {@code k = gamma / sqrt(var + eps)} (1 / sqrt
 * without {@code scale}) and {@code t = beta} (0 without {@code center}). The reference evaluates
 * {@code (x - mean) / sqrt(var + eps) * gamma + beta} in double; multiplying by the per-channel
 * quotient instead of dividing per element differs from it by a few double ulps before the
 * rounding to float, far inside the float policy.
 */
public final class BatchNorm {
  private BatchNorm() {}

  /** Fills {@code m}, {@code k} and {@code t} (one entry per channel) from the op's parameters and attrs. */
  public static void coefficients(float[] gamma, float[] beta, float[] mean, float[] var, Attrs attrs, double[] m,
      double[] k, double[] t) {
    double eps = attrs.getDouble("epsilon");
    boolean center = attrs.getBool("center");
    boolean scale = attrs.getBool("scale");
    for (int c = 0; c < k.length; c++) {
      m[c] = mean[c];
      k[c] = (scale ? gamma[c] : 1.0) / Math.sqrt(var[c] + eps);
      t[c] = center ? beta[c] : 0.0;
    }
  }
}
