package dev.kbyoc.golden.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.verify.bench.BenchSection;
import dev.kbyoc.verify.bench.BenchSuite;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The golden-cnn section is what {@code kbyoc bench} finds through {@link java.util.ServiceLoader}
 * when golden-models is on the class path; it runs right after partition scaling (which goes first,
 * see {@link BenchSuite}) and before the other built-in sections.
 */
class OrtComparisonRegistrationTest {
  @Test
  void harnessFindsTheOnnxRuntimeSection() {
    List<BenchSection> s = BenchSuite.sections();
    assertTrue(BenchSuite.has("golden-cnn"));
    assertEquals("partition", s.get(0).name());
    assertEquals(OrtComparison.class, s.get(1).getClass());
  }
}
