package dev.kbyoc.kendryte.codegen;

/**
 * uint8 asymmetric per-tensor quantization: {@code real = (q - zero) * scale}, from a calibrated
 * [min, max] widened to contain 0 so that 0 (the KPU's padding) is exact.
 */
public record QuantParam(double scale, int zero) {
  /** Scale 1, zero 0: the QUANTIZE/DEQUANTIZE parameters of a float kmodel (identities). */
  public static final QuantParam IDENTITY = new QuantParam(1, 0);

  /** From a calibrated range. */
  public static QuantParam fromRange(double min, double max) {
    double lo = Math.min(min, 0);
    double hi = Math.max(max, 0);
    if (hi - lo < 1e-12) {
      hi = lo + 1e-6;
    }
    double s = (hi - lo) / 255;
    int z = (int) Math.max(0, Math.min(255, Math.round(-lo / s)));
    return new QuantParam(s, z);
  }

  /** The kmodel {@code kpu_model_quant_param_t} bias: real = q * scale + bias. */
  public double bias() {
    return -zero * scale;
  }

  /** Quantizes a real value (round half up, saturating). */
  public int quantize(double x) {
    return (int) Math.max(0, Math.min(255, Math.floor(x / scale + zero + 0.5)));
  }
}
