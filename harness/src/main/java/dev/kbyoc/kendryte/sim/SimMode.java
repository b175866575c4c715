package dev.kbyoc.kendryte.sim;

/** How the simulator does arithmetic. */
public enum SimMode {
  /**
   * Bit-exact integer KPU arithmetic (accumulator, argument terms, batchnorm and activation shifts,
   * saturation to uint8) and the SDK's float32 CPU layers.
   */
  UINT8,
  /**
   * A dequantized reference: the same layers with every rounding and truncation of quantized
   * values removed (shifts become exact divisions, uint8 tensors keep their unrounded value clamped
   * to [0, 255]); float layers keep their float32 arithmetic except that global pooling sums in
   * double and fully connected in fused multiply-adds (as the host kernels). The gap to
   * {@link #UINT8} is the rounding error.
   */
  FLOAT
}
