package dev.kbyoc.golden.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.verify.bench.BenchSection;
import dev.kbyoc.verify.bench.BenchSuite;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The golden-cnn section is what {@code kbyoc bench} finds through {@link java.util.ServiceLoader}
 * when golden-models is on the class path, and it runs before the built-in sections.
 */
class OrtComparisonRegistrationTest {
  @Test
  void harnessFindsTheOnnxRuntimeSection() {
    List<BenchSection> s = BenchSuite.sections();
    assertTrue(BenchSuite.has("golden-cnn"));
    assertEquals(OrtComparison.class, s.get(0).getClass());
  }
}
