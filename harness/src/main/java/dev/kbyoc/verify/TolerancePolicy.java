package dev.kbyoc.verify;

import dev.kbyoc.ir.NDArray;
import java.util.List;

/**
 * A named rule for when two engines' outputs count as equal. {@code float-tight}: every element
 * within {@code abs + rel * |reference|} (float32 kernels that differ only in summation order);
 * {@code uint8}: every element within {@code maxLsb} quantization steps (plus 0.1% of a step for
 * float rounding of dequantized values) of the output scale and a
 * cosine similarity of at least {@code minCosine} over each output; {@code exact}: bit-identical.
 *
 * @param name the policy's name, printed in failure messages
 * @param rel relative tolerance (float)
 * @param abs absolute tolerance (float), or the LSB size for quantized outputs
 * @param maxLsb most LSBs of error per element (quantized); 0 = not used
 * @param minCosine least cosine similarity per output (quantized); 0 = not used
 */
public record TolerancePolicy(String name, double rel, double abs, int maxLsb, double minCosine) {
  public static final TolerancePolicy EXACT = new TolerancePolicy("exact", 0, 0, 0, 0);
  public static final TolerancePolicy FLOAT_TIGHT = new TolerancePolicy("float-tight", 1e-5, 1e-6, 0, 0);

  /** The uint8 policy for an output whose quantization step is {@code scale}: 2 LSB and cosine >= 0.99. */
  public static TolerancePolicy uint8(double scale) {
    return new TolerancePolicy("uint8", 0, scale, 2, 0.99);
  }

  /** LSBs of the output range allowed end to end by {@link #uint8EndToEnd}. */
  public static final int END_TO_END_LSB = 16;

  /**
   * The uint8 policy for a model output computed through several uint8 kmodel layers and host ops,
   * with {@code range} the reference output's max - min: cosine >= 0.99 and every element within
   * {@value #END_TO_END_LSB} steps of range / 255. Each kmodel layer is held to 2 LSB of its own
   * scale by the quantized-rounding oracle; end to end the errors add up (the built-in CNN, 3 uint8
   * conv layers + host pool/dense/softmax, seeds 1-6: 3.0 to 11.2 steps).
   */
  public static TolerancePolicy uint8EndToEnd(double range) {
    return new TolerancePolicy("uint8", 0, Math.max(range, 1e-12) / 255, END_TO_END_LSB, 0.99);
  }

  /** Null when {@code actual} matches {@code expected} under this policy, else {kind, message}. */
  public String[] compare(String refName, List<NDArray> expected, String actName, List<NDArray> actual) {
    if (expected.size() != actual.size()) {
      return new String[] {"output-count", refName + " gives " + expected.size() + " outputs, " + actName + " gives " + actual.size()};
    }
    for (int o = 0; o < expected.size(); o++) {
      NDArray e = expected.get(o);
      NDArray a = actual.get(o);
      if (!e.type().equals(a.type())) {
        return new String[] {"output-type", "output " + o + ": " + refName + " " + e.type() + ", " + actName + " " + a.type()};
      }
      String bad = element(e, a);
      if (bad != null) {
        return new String[] {"out-of-tolerance", "output " + o + " " + e.type() + " under " + name + ": " + bad
            + " (" + refName + " vs " + actName + ")"};
      }
      if (minCosine > 0) {
        double cos = cosine(e, a);
        if (!(cos >= minCosine)) {
          return new String[] {"low-cosine", "output " + o + " cosine similarity " + cos + " < " + minCosine + " under " + name};
        }
      }
    }
    return null;
  }

  private String element(NDArray e, NDArray a) {
    for (int i = 0; i < e.size(); i++) {
      double x = e.getDouble(i);
      double y = a.getDouble(i);
      if (Double.isNaN(x) != Double.isNaN(y) || Double.isInfinite(x) != Double.isInfinite(y)) {
        return "element " + i + " is " + y + ", expected " + x;
      }
      double d = Math.abs(x - y);
      double allowed = maxLsb > 0 ? (maxLsb + 1e-3) * abs : abs + rel * Math.abs(x);
      if (Double.isFinite(x) && d > allowed) {
        return "element " + i + " is " + y + ", expected " + x + " (|diff| " + d + " > " + allowed + ")";
      }
      if (this == EXACT || name.equals("exact")) {
        if (Double.doubleToRawLongBits(x) != Double.doubleToRawLongBits(y)) {
          return "element " + i + " is " + y + ", expected " + x;
        }
      }
    }
    return null;
  }

  /** Cosine similarity of two tensors; 1 when both are all zero. */
  public static double cosine(NDArray e, NDArray a) {
    double dot = 0;
    double ne = 0;
    double na = 0;
    for (int i = 0; i < e.size(); i++) {
      double x = e.getDouble(i);
      double y = a.getDouble(i);
      dot += x * y;
      ne += x * x;
      na += y * y;
    }
    if (ne == 0 && na == 0) {
      return 1;
    }
    return dot / Math.sqrt(ne * na);
  }
}
