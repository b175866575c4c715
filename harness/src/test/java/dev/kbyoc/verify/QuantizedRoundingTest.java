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
  void mediumOutputsAreOnlyCheckedForCosine() {
    // One LSB high everywhere, but only 16 elements: too few for the bias test; cosine 0.9999 passes,
    // a sign flip does not.
    float[] f = new float[16];
    float[] high = new float[16];
    float[] flipped = new float[16];
    for (int i = 0; i < 16; i++) {
      f[i] = 10 * (i + 1);
      high[i] = f[i] + 1;
      flipped[i] = -f[i];
    }
    assertNull(QuantizedRounding.compare(NDArray.of(high, 16), NDArray.of(f, 16)));
    String bad = QuantizedRounding.compare(NDArray.of(flipped, 16), NDArray.of(f, 16));
    assertTrue(bad != null && bad.startsWith("low-cosine"), bad);
  }

  @Test
  void aFewValuesAtTheRoundingScaleAreNotJudgedByCosine() {
    // The fuzzer's case: four global-pool outputs of about 0.01 with 1-1.5 step rounding errors
    // (cosine 0.983) are rounding noise, not a fault.
    NDArray q = NDArray.of(new float[] {0.00686639f, 0.01009764f, 0.00343321f, -0.01615614f}, 4);
    NDArray f = NDArray.of(new float[] {0.00931848f, 0.0116546f, 0.00575531f, -0.0146542f}, 4);
    assertTrue(TolerancePolicy.cosine(f, q) < QuantizedRounding.MIN_COSINE);
    assertNull(QuantizedRounding.compare(q, f));
  }
}
