package dev.kbyoc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kbyoc.ir.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;

class TolerancePolicyTest {
  private static NDArray f(float... v) {
    return NDArray.of(v, v.length);
  }

  @Test
  void floatTightAcceptsReassociationNoiseOnly() {
    TolerancePolicy p = TolerancePolicy.FLOAT_TIGHT;
    // 1000 * (1 + 1e-6) is within 1e-6 + 1e-5 * 1000 = 0.010001 of 1000.
    assertNull(p.compare("a", List.of(f(1000f, 0f)), "b", List.of(f(1000.001f, 5e-7f))));
    String[] bad = p.compare("a", List.of(f(1000f, 0f)), "b", List.of(f(1000.5f, 0f)));
    assertEquals("out-of-tolerance", bad[0]);
  }

  @Test
  void uint8AllowsTwoLsbAndChecksCosine() {
    TolerancePolicy p = TolerancePolicy.uint8(0.1);
    assertNull(p.compare("a", List.of(f(1.0f, 2.0f)), "b", List.of(f(1.2f, 1.8f))));
    assertEquals("out-of-tolerance", p.compare("a", List.of(f(1.0f, 2.0f)), "b", List.of(f(1.31f, 2.0f)))[0]);
    // Within 2 LSB everywhere but pointing the other way: cosine(-0.1, 0.1 | 0.1, -0.1) = -1.
    assertEquals("low-cosine", p.compare("a", List.of(f(0.1f, -0.1f)), "b", List.of(f(-0.1f, 0.1f)))[0]);
  }

  @Test
  void countAndTypeMismatchesAreReported() {
    assertEquals("output-count", TolerancePolicy.EXACT.compare("a", List.of(f(1)), "b", List.of())[0]);
    assertEquals("output-type", TolerancePolicy.EXACT.compare("a", List.of(f(1, 2)), "b", List.of(f(1)))[0]);
  }

  @Test
  void exactRequiresSameBits() {
    assertNull(TolerancePolicy.EXACT.compare("a", List.of(f(0.5f)), "b", List.of(f(0.5f))));
    assertEquals("out-of-tolerance", TolerancePolicy.EXACT.compare("a", List.of(f(0.5f)), "b", List.of(f(0.50000006f)))[0]);
  }
}
