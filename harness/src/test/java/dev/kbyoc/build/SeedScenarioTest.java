package dev.kbyoc.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Package sizes and load warnings of the seed scenario on the built-in CNN, partitioned with the
 * real {@code kendryte} target and built in the default float mode.
 */
class SeedScenarioTest {
  static SeedScenario.Report report;

  @BeforeAll
  static void runScenario() {
    NDArray x = SampleModels.random(new Random(5), 1, 3, 16, 16);
    IRModule original = SampleModels.cnnUnpartitioned(42);
    report = SeedScenario.run(original, PartitionFlow.run(original, Map.of(), dev.kbyoc.op.Targets.get("kendryte")), Map.of("data", x));
  }

  @Test
  void registeredUpdaterPackageIsWithinTwoPercentOfItsContent() {
    SeedScenario.Outcome r = report.registered();
    long bound = report.uniqueConstantBytes() + r.graphJsonBytes() + r.moduleHeaderBytes();
    double rel = Math.abs(r.packageBytes() - bound) / (double) bound;
    assertTrue(rel <= 0.02, "package " + r.packageBytes() + " vs content " + bound + " (" + rel + ")");
    assertEquals(0, r.warnings());
    assertEquals(0, r.duplicatedBytes());
    assertEquals(1, r.params(), "only the host per-channel scale (the dense tail is in the second kmodel)");
  }

  @Test
  void defaultUpdaterPackageIsRoughlyTwiceAndWarnsForEveryKendryteConstant() {
    SeedScenario.Outcome d = report.defaults();
    double ratio = d.packageBytes() / (double) report.registered().packageBytes();
    assertTrue(ratio > 1.85 && ratio < 2.05, "ratio " + ratio);
    // First region: two conv weights + two biases; second: one conv weight + bias and the dense
    // tail's weight [10, 48] + bias (FULLY_CONNECTED). The float kmodels hold them as the constants'
    // float32 bytes.
    assertEquals(8, report.externalConstants());
    assertEquals(8, d.warnings());
    assertEquals(9, d.params());
    long kendryteBytes = (16 * 3 * 9 + 16 + 48 * 16 * 9 + 48 + 48 * 48 * 9 + 48 + 10 * 48 + 10) * 4L;
    assertEquals(kendryteBytes, d.duplicatedBytes());
  }

  @Test
  void bothBuildsGiveIdenticalOutputsMatchingTheInterpreter() {
    assertTrue(report.identicalOutputs());
    assertTrue(report.registered().maxRelErr() <= 1e-5, "" + report.registered().maxRelErr());
    assertTrue(report.asExpected(1e-5));
    String table = report.table();
    assertTrue(table.contains("'cannot find \"...\" among input' at load"), table);
  }
}
