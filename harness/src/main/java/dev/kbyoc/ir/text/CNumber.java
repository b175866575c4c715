package dev.kbyoc.ir.text;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Number formatting as C++'s {@code std::ostream << double} does it (printf {@code %g} with
 * precision 6), which is how TVM prints float literals and attributes ({@code 0.1f},
 * {@code 1e-05f}, {@code 1.5e+06f}). Values that six digits cannot reproduce get the fewest extra
 * digits that parse back to the same value, so printing then parsing is exact.
 */
final class CNumber {
  private CNumber() {}

  /** {@code %.<precision>g} as glibc prints it (round half even on the exact binary value). */
  static String g(double v, int precision) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0" : "0";
    }
    if (precision >= 6 && v == Math.rint(v) && Math.abs(v) < 1e6) {
      return Long.toString((long) v);
    }
    BigDecimal bd = new BigDecimal(v).round(new MathContext(precision, RoundingMode.HALF_EVEN));
    int exp = bd.precision() - bd.scale() - 1;
    if (exp < -4 || exp >= precision) {
      String digits = bd.unscaledValue().abs().toString().replaceAll("0+$", "");
      StringBuilder sb = new StringBuilder(bd.signum() < 0 ? "-" : "");
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      sb.append(a < 10 ? "0" : "").append(a);
      return sb.toString();
    }
    return bd.stripTrailingZeros().toPlainString();
  }

  /** The C++ default rendering of a double, widened only as far as needed to round-trip. */
  static String shortestDouble(double v) {
    for (int p = 6; p < 17; p++) {
      String s = g(v, p);
      if (Double.isNaN(v) || Double.isInfinite(v) || Double.parseDouble(s) == v) {
        return s;
      }
    }
    return g(v, 17);
  }

  /** The C++ default rendering of a float (printed via double), widened only as far as needed. */
  static String shortestFloat(float v) {
    for (int p = 6; p < 9; p++) {
      String s = g(v, p);
      if (Float.isNaN(v) || Float.isInfinite(v)
          || Float.floatToRawIntBits((float) Double.parseDouble(s)) == Float.floatToRawIntBits(v)) {
        return s;
      }
    }
    return g(v, 9);
  }
}
