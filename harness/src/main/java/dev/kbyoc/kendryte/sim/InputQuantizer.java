package dev.kbyoc.kendryte.sim;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;

/**
 * Quantizes a float model input on the host exactly as the SDK's QUANTIZE layer does
 * ({@code q = clamp(roundf((x - bias) * (1 / scale)))} in float32 arithmetic, as
 * {@link CpuQuantLayers#quantize}): what an application does before handing uint8 pixels to a
 * kmodel whose first layer is K210_CONV. In {@link SimMode#FLOAT} the values are not rounded (only
 * clamped to [0, 255]), as the float run of a QUANTIZE layer keeps them.
 */
public final class InputQuantizer {
  private InputQuantizer() {}

  /** The quantized input, same shape; UINT8 in uint8 mode, else FLOAT32 holding unrounded values. */
  public static NDArray quantize(NDArray x, float scale, int zero, SimMode mode) {
    float inv = 1f / scale;
    float bias = bias(scale, zero);
    int n = x.size();
    NDArray out = NDArray.zeros(mode == SimMode.UINT8 ? DType.UINT8 : DType.FLOAT32, x.shape());
    for (int i = 0; i < n; i++) {
      float v = ((float) x.getDouble(i) - bias) * inv;
      out.setDouble(i, mode == SimMode.UINT8 ? Shifts.clampU8(CpuQuantLayers.roundf(v))
          : Math.max(0, Math.min(255, (double) v)));
    }
    return out;
  }

  /** The QUANTIZE layer's float32 bias for a scale and zero point: {@code -zero * scale}. */
  public static float bias(float scale, int zero) {
    return (float) (-zero * (double) scale);
  }
}
