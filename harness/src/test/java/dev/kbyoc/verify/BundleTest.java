package dev.kbyoc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Faults;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.StructuralEqual;
import dev.kbyoc.runtime.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTest {
  @TempDir Path tmp;

  @Test
  void bundleRoundTripsModelWeightsInputsAndVerdict() throws Exception {
    GraphGenerator gen = new GraphGenerator(GenOptions.DEFAULT.withMaxNodes(20).withMinNodes(10));
    for (long seed = 0; seed < 15; seed++) {
      GraphCase c = gen.generate(seed);
      CaseRun run = new CaseRun(c, FuzzCampaignTest.IDENTITY);
      Verdict v = Verdict.fail("some-oracle", "some-kind", "message with \"quotes\" for seed " + seed);
      FuzzConfig cfg = FuzzConfig.of(1, seed, c.options()).withFaults(Set.of(Faults.Fault.SIM_ROUNDING));
      Path dir = Bundle.write(tmp.resolve("b" + seed), run, v, cfg, null);
      Bundle.Loaded back = Bundle.read(dir);
      assertTrue(StructuralEqual.equal(c.module(), back.testCase().module()),
          () -> StructuralEqual.firstDifference(c.module(), back.testCase().module()));
      assertEquals(c.params(), back.testCase().params());
      assertEquals(c.inputs(), back.testCase().inputs());
      assertEquals(c.seed(), back.testCase().seed());
      assertEquals(c.options(), back.testCase().options());
      assertEquals(v, back.verdict());
      assertEquals(List.of(Faults.Fault.SIM_ROUNDING), back.faults());
      // The reference outputs were recorded as .npy files and read back bit-identical.
      List<NDArray> ref = run.reference();
      for (int i = 0; i < ref.size(); i++) {
        assertEquals(ref.get(i), Npy.read(dir.resolve("outputs").resolve("interpreter_" + i + ".npy")));
      }
      String readme = Files.readString(dir.resolve("README.md"));
      assertTrue(readme.contains("kbyoc repro " + dir), readme);
    }
  }

  @Test
  void aDirectoryWithoutCaseJsonIsAUserError() {
    dev.kbyoc.ir.KbyocException e = org.junit.jupiter.api.Assertions.assertThrows(dev.kbyoc.ir.KbyocException.class,
        () -> Bundle.read(tmp));
    assertTrue(e.getMessage().contains("case.json"), e.getMessage());
  }
}
