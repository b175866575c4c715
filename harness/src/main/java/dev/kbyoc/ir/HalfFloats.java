package dev.kbyoc.ir;

/**
 * Bit conversions of the 16-bit float formats: IEEE 754 binary16 ({@code float16}) and bfloat16
 * (the upper half of a float32). Narrowing rounds to nearest, ties to even, directly from the
 * double (no double rounding through float32); NaN stays NaN (quiet), overflow becomes infinity.
 */
public final class HalfFloats {
  private HalfFloats() {}

  /** The value of float16 bits. */
  public static float fromFloat16(short bits) {
    int h = bits & 0xFFFF;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1F;
    int man = h & 0x3FF;
    if (exp == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (man << 13));
    }
    if (exp == 0) {
      float v = man * 0x1p-24f; // subnormal (or zero): man * 2^-24, exact in float32
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (man << 13));
  }

  /** The float16 bits nearest to {@code v} (ties to even). */
  public static short toFloat16(double v) {
    long d = Double.doubleToRawLongBits(v);
    int sign = (int) ((d >>> 48) & 0x8000);
    double a = Math.abs(v);
    if (Double.isNaN(v)) {
      return (short) (sign | 0x7E00);
    }
    if (a >= 65520.0) { // rounds to infinity (max finite 65504; halfway 65520 rounds up to even)
      return (short) (sign | 0x7C00);
    }
    if (a < 0x1p-14) { // subnormal range: units of 2^-24
      long units = roundHalfEven(a * 0x1p24);
      return (short) (sign | (int) units); // units == 1024 is the smallest normal, encoded alike
    }
    int exp = Math.getExponent(a); // -14..15
    double scaled = a * Math.pow(2, 10 - exp); // 1024..2048
    long man = roundHalfEven(scaled);
    if (man == 2048) {
      man = 1024;
      exp++;
    }
    if (exp > 15) {
      return (short) (sign | 0x7C00);
    }
    return (short) (sign | ((exp + 15) << 10) | (int) (man - 1024));
  }

  /** The value of bfloat16 bits. */
  public static float fromBfloat16(short bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }

  /** The bfloat16 bits nearest to {@code v} (ties to even, on the exact double). */
  public static short toBfloat16(double v) {
    if (Double.isNaN(v)) {
      return (short) ((Double.doubleToRawLongBits(v) >>> 48 & 0x8000) | 0x7FC0);
    }
    float f = (float) v; // exact enough to locate the two neighbours
    int bits = Float.floatToRawIntBits(f);
    if (Float.isInfinite(f)) {
      return (short) (bits >>> 16);
    }
    float lo = Float.intBitsToFloat(bits & 0xFFFF0000);
    float hi = Float.intBitsToFloat((bits & 0xFFFF0000) + 0x10000);
    double dl = Math.abs(v - lo);
    double dh = Math.abs(hi - v);
    int low = bits >>> 16;
    if (dl < dh || dl == dh && (low & 1) == 0) {
      return (short) low;
    }
    return (short) (low + 1);
  }

  private static long roundHalfEven(double x) {
    return (long) Math.rint(x);
  }
}
