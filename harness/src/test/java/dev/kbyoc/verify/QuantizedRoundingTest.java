package dev.kbyoc.verify;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.NDArray;
import org.junit.jupiter.api.Test;

class QuantizedRoundingTest {
  /** A ramp 0..255 (LSB 1) and a copy with the given per-element offsets cycling. */
  private static NDArray[] pair(double... offsets) {
    float[] f = new float[256];
    float[] q = new float[256];
    for (int i = 0; i < 256; i++) {
      f[i] = i;
      q[i] = (float) (i + offsets[i % offsets.length]);
    }
    return new NDArray[] {NDArray.of(q, 256), NDArray.of(f, 256)};
  }

  @Test
  void unbiasedHalfLsbNoisePasses() {
    NDArray[] p = pair(0.5, -0.5, 0.25, -0.25, 0);
    assertNull(QuantizedRounding.compare(p[0], p[1]));
  }

  @Test
  void aSystematicOneLsbShiftIsCaught() {
    // Every value one LSB high, as a rounding shift that adds one would give: mean error 1.0 > 0.75.
    // (256 elements: above the 128-element minimum.)
    NDArray[] p = pair(1.0);
    String bad = QuantizedRounding.compare(p[0], p[1]);
    assertTrue(bad != null && bad.startsWith("rounding-bias: mean uint8 error 1.000 LSB"), bad);
  }

  @Test
  void smallOutputsAreOnlyCheckedForCosine() {
    // One LSB high everywhere, but only 4 elements: too few for the bias test; cosine 0.9999 passes.
    NDArray q = NDArray.of(new float[] {11, 21, 31, 41}, 4);
    NDArray f = NDArray.of(new float[] {10, 20, 30, 40}, 4);
    assertNull(QuantizedRounding.compare(q, f));
    String bad = QuantizedRounding.compare(NDArray.of(new float[] {-1, -2, -3, -4}, 4), f);
    assertTrue(bad != null && bad.startsWith("low-cosine"), bad);
  }
}
