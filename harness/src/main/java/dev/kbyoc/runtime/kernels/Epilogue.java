package dev.kbyoc.runtime.kernels;

/**
 * What a convolution or dense kernel applies to each sum before storing it: a per-output-channel
 * bias (a fused {@code nn.bias_add}), then an activation: none, {@code nn.relu}
 * ({@code x > 0 ? x : 0}, so NaN gives 0 as in the reference) or {@code clip} to [lo, hi].
 *
 * @param bias per output channel, or null for none
 */
public record Epilogue(float[] bias, int act, float lo, float hi) {
  public static final int NONE = 0;
  public static final int RELU = 1;
  public static final int CLIP = 2;
  /** No bias, no activation. */
  public static final Epilogue IDENTITY = new Epilogue(null, NONE, 0, 0);

  /** The same activation with {@code b} as the bias. */
  public Epilogue withBias(float[] b) {
    return new Epilogue(b, act, lo, hi);
  }

  /** This bias with {@code relu} after it. */
  public Epilogue withRelu() {
    return new Epilogue(bias, RELU, 0, 0);
  }

  /** This bias with {@code clip(lo, hi)} after it. */
  public Epilogue withClip(float min, float max) {
    return new Epilogue(bias, CLIP, min, max);
  }

  /** A finished sum of channel {@code c}: plus the bias (if any), then the activation. */
  float finish(float acc, int c) {
    return apply(bias == null ? acc : acc + bias[c]);
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
