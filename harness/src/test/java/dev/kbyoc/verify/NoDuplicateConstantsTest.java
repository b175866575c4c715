package dev.kbyoc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.build.SampleModels;
import dev.kbyoc.ir.IRModule;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The oracle on the seed bug itself: the partitioned sample CNN built with and without the Kendryte updater. */
class NoDuplicateConstantsTest {
  private final IRModule cnn = SampleModels.cnn("kendryte", 7);

  @Test
  void kendryteUpdaterBuildPasses() {
    BuildResult ok = RelayBuild.build(cnn, Map.of(), BuildOptions.DEFAULT);
    assertTrue(new NoDuplicateConstants().check(ok).passed());
  }

  @Test
  void defaultUpdaterDuplicatesAreCaught() {
    BuildResult bad = RelayBuild.build(cnn, Map.of(), BuildOptions.DEFAULT.withForceDefaultUpdater(true));
    Verdict v = new NoDuplicateConstants().check(bad);
    assertEquals(NoDuplicateConstants.NAME, v.oracle());
    assertEquals("unreferenced-param", v.kind(), v.toString());
    assertTrue(v.message().contains("kendryte_0_const_"), v.message());
  }

  @Test
  void embeddedBytesAreFoundByContent() {
    byte[] hay = {9, 1, 2, 3, 4, 5, 6, 7};
    assertEquals(2, NoDuplicateConstants.indexOf(hay, new byte[] {2, 3, 4}));
    assertEquals(-1, NoDuplicateConstants.indexOf(hay, new byte[] {2, 4}));
    assertEquals(-1, NoDuplicateConstants.indexOf(new byte[] {1}, new byte[] {1, 2}));
  }
}
