package dev.kbyoc.verify;

import dev.kbyoc.ir.NDArray;
import java.util.List;

/** Compares two engines' flat output lists and describes the first difference, or returns null. */
final class OutputCompare {
  private OutputCompare() {}

  /** Null when equal in count, types and bits; else {kind, message}. */
  static String[] bitwise(String a, List<NDArray> xs, String b, List<NDArray> ys) {
    if (xs.size() != ys.size()) {
      return new String[] {"output-count", a + " gives " + xs.size() + " outputs, " + b + " gives " + ys.size()};
    }
    for (int i = 0; i < xs.size(); i++) {
      NDArray x = xs.get(i);
      NDArray y = ys.get(i);
      if (!x.type().equals(y.type())) {
        return new String[] {"output-type", "output " + i + ": " + a + " gives " + x.type() + ", " + b + " gives " + y.type()};
      }
      if (!x.equals(y)) {
        int first = -1;
        double worst = 0;
        for (int k = 0; k < x.size(); k++) {
          double d = Math.abs(x.getDouble(k) - y.getDouble(k));
          if (first < 0 && Double.doubleToRawLongBits(x.getDouble(k)) != Double.doubleToRawLongBits(y.getDouble(k))) {
            first = k;
          }
          worst = Double.isNaN(d) ? Double.NaN : Math.max(worst, d);
        }
        return new String[] {"value-mismatch", "output " + i + " " + x.type() + " differs first at element " + first + " ("
            + a + " " + x.getDouble(first) + ", " + b + " " + y.getDouble(first) + "), max abs diff " + worst};
      }
    }
    return null;
  }
}
