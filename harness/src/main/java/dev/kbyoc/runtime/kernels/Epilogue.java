package dev.kbyoc.runtime.kernels;

/**
 * What a convolution or dense kernel applies to each sum before storing it, each step one float
 * operation as the fused reference ops compute it: a per-output-channel bias (a fused
 * {@code nn.bias_add}), a per-channel multiplier and offset (a fused {@code multiply} and
 * {@code add}, the form batch norm takes after {@code SimplifyInference}), then an activation:
 * none, {@code nn.relu} ({@code x > 0 ? x : 0}, so NaN gives 0 as in the reference) or
 * {@code clip} to [lo, hi]. Before the activation a convolution may also add a residual: a
 * tensor of the output's shape, element by element (a fused {@code add} of a skip connection).
 * A missing bias or offset is the same as adding -0 and a missing
 * multiplier as multiplying by 1: both change no value (not even the sign of a zero), which lets
 * the vector kernels apply every step unconditionally.
 *
 * @param bias per output channel, or null for none
 * @param scale per output channel, multiplied after the bias, or null for none
 * @param shift per output channel, added after the multiplier, or null for none
 * @param residual laid out as the output, added after the offset at the output's own index, or
 *     null for none (only where the kernel stores straight into the output)
 */
public record Epilogue(float[] bias, float[] scale, float[] shift, int act, float lo, float hi, float[] residual) {
  public static final int NONE = 0;
  public static final int RELU = 1;
  public static final int CLIP = 2;
  /** No bias, no activation. */
  public static final Epilogue IDENTITY = new Epilogue(null, null, null, NONE, 0, 0, null);

  /** Bias (or null) and activation, nothing else. */
  public Epilogue(float[] bias, int act, float lo, float hi) {
    this(bias, null, null, act, lo, hi, null);
  }

  /** The same activation with {@code b} as the bias. */
  public Epilogue withBias(float[] b) {
    return new Epilogue(b, scale, shift, act, lo, hi, residual);
  }

  /** This epilogue with the per-channel multiplier {@code s} and offset {@code t} (either may be null). */
  public Epilogue withAffine(float[] s, float[] t) {
    return new Epilogue(bias, s, t, act, lo, hi, residual);
  }

  /** This epilogue adding {@code r} (laid out as the output; null for none) before the activation. */
  public Epilogue withResidual(float[] r) {
    return new Epilogue(bias, scale, shift, act, lo, hi, r);
  }

  /** The steps before the residual only: bias, multiplier and offset, no residual and no activation. */
  Epilogue affineOnly() {
    return new Epilogue(bias, scale, shift, NONE, 0, 0, null);
  }

  /** This bias with {@code relu} after it. */
  public Epilogue withRelu() {
    return new Epilogue(bias, scale, shift, RELU, 0, 0, residual);
  }

  /** This bias with {@code clip(lo, hi)} after it. */
  public Epilogue withClip(float min, float max) {
    return new Epilogue(bias, scale, shift, CLIP, min, max, residual);
  }

  /** A finished sum of channel {@code c}: plus the bias, times the multiplier, plus the offset (each if any), then the activation. */
  float finish(float acc, int c) {
    return apply(affine(acc, c));
  }

  /** {@link #finish} for the output element at {@code pos}: the residual there (if any) is added before the activation. */
  float finish(float acc, int c, int pos) {
    float v = affine(acc, c);
    return apply(residual == null ? v : v + residual[pos]);
  }

  private float affine(float acc, int c) {
    float v = bias == null ? acc : acc + bias[c];
    v = scale == null ? v : v * scale[c];
    return shift == null ? v : v + shift[c];
  }

  /** The bias of channel {@code c}, or -0 (adding it changes nothing). */
  float biasOf(int c) {
    return bias == null ? -0f : bias[c];
  }

  /** The multiplier of channel {@code c}, or 1. */
  float scaleOf(int c) {
    return scale == null ? 1f : scale[c];
  }

  /** The offset of channel {@code c}, or -0. */
  float shiftOf(int c) {
    return shift == null ? -0f : shift[c];
  }

  /** Whether clipping at {@code lo} must also replace equal values (lo is +0: max(-0, +0) is +0). */
  static boolean lowTest(float lo) {
    return Float.floatToRawIntBits(lo) == 0;
  }

  /** Whether clipping at {@code hi} must also replace equal values (hi is -0: min(+0, -0) is -0). */
  static boolean highTest(float hi) {
    return Float.floatToRawIntBits(hi) == Integer.MIN_VALUE;
  }

  /** The activation applied to one value, as the reference ops compute it. */
  float apply(float v) {
    return switch (act) {
      case RELU -> v > 0 ? v : 0f;
      case CLIP -> Math.min(Math.max(v, lo), hi);
      default -> v;
    };
  }
}
