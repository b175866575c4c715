package dev.kbyoc.op;

import dev.kbyoc.ir.Attrs;

/**
 * {@code nn.batch_norm} at inference on float32, as TVM's {@code SimplifyInference} rewrites it
 * ({@code BatchNormToInferUnpack}, src/relay/transforms/simplify_inference.cc) and
 * {@code relay.build} then evaluates it: per channel
 * {@code scale = 1 / sqrt(var + eps)} (times {@code gamma} when {@code scale}),
 * {@code shift = -mean * scale} (plus {@code beta} when {@code center}), then
 * {@code y = x * scale + shift} per element, every step one float32 operation (eps is a float32
 * constant, as TVM's {@code MakeConstantScalar}). The reference kernel computes exactly this, so
 * the decomposed graph of {@code pass.SimplifyInference} and the fused kernels of the graph
 * runtime give the same bits as the interpreter.
 */
public final class BatchNormInference {
  private BatchNormInference() {}

  /** The per-channel multipliers. */
  public static float[] scale(float[] gamma, float[] var, Attrs attrs) {
    float eps = (float) attrs.getDouble("epsilon");
    boolean withGamma = attrs.getBool("scale");
    float[] s = new float[var.length];
    for (int c = 0; c < s.length; c++) {
      float sqrt = (float) Math.sqrt(var[c] + eps);
      s[c] = 1f / sqrt;
      if (withGamma) {
        s[c] = s[c] * gamma[c];
      }
    }
    return s;
  }

  /** The per-channel offsets for the multipliers {@code scale}. */
  public static float[] shift(float[] beta, float[] mean, float[] scale, Attrs attrs) {
    boolean center = attrs.getBool("center");
    float[] t = new float[mean.length];
    for (int c = 0; c < t.length; c++) {
      t[c] = -mean[c] * scale[c];
      if (center) {
        t[c] = t[c] + beta[c];
      }
    }
    return t;
  }

  /** One output element: {@code x * scale}, rounded, plus {@code shift}, rounded (never fused). */
  public static float apply(float x, float scale, float shift) {
    float scaled = x * scale;
    return scaled + shift;
  }
}
