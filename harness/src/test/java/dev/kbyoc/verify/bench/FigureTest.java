package dev.kbyoc.verify.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Goals of bench figures, the median of the timing helper and the suite's built-in sections (no timing asserted). */
class FigureTest {
  @Test
  void goalsAreUpperOrLowerBounds() {
    assertTrue(new Figure("s", "ratio", 1.9, "x", 2.0, true).met());
    assertTrue(new Figure("s", "ratio", 2.0, "x", 2.0, true).met());
    assertFalse(new Figure("s", "ratio", 2.01, "x", 2.0, true).met());
    assertFalse(new Figure("s", "rate", 0.99, "GMAC/s", 1.0, false).met());
    assertTrue(new Figure("s", "rate", 1.0, "GMAC/s", 1.0, false).met());
    Figure info = Figure.info("s", "time", 123, "ms");
    assertFalse(info.hasGoal());
    assertTrue(info.met());
  }

  @Test
  void timingReportsTheMedianOfTheTimedRunsAfterTheWarmup() throws Exception {
    int[] calls = {0};
    Timing.medianMillis(() -> calls[0]++, 0, 5);
    assertEquals(5, calls[0], "no warm-up: exactly the timed runs");
    int[] runs = {0};
    Timing.medianMillis(() -> runs[0]++, 3, 4);
    assertTrue(runs[0] >= 7, "at least warmup + repeats runs, got " + runs[0]);
  }

  @Test
  void interleavedTimingRunsBlocksAndSkipsEachBlocksFirstRun() throws Exception {
    StringBuilder order = new StringBuilder();
    Timing.Action fast = () -> order.append('f');
    Timing.Action slow = () -> {
      order.append('s');
      long t0 = System.nanoTime();
      while (System.nanoTime() - t0 < 2_000_000) {
        Thread.onSpinWait();
      }
    };
    double[] t = Timing.interleavedMedianMillis(List.of(fast, slow), 0, 2);
    // no warm-up: one sizing run each, then per round a block of each lasting BLOCK_NANOS: a run
    // of 2 ms (up to 10 ms on a loaded machine) makes blocks of BLOCK / 10 ms + 1 to BLOCK / 2 ms + 1
    // runs; the fast action's blocks are far longer
    int most = (int) (Timing.BLOCK_NANOS / 2_000_000) + 1;
    int least = (int) (Timing.BLOCK_NANOS / 10_000_000) + 1;
    String s = order.toString().replaceAll("f{" + (most + 1) + ",}", "F");
    assertTrue(s.matches("fs(Fs{" + least + "," + most + "}){2}"), s);
    assertTrue(t[1] >= 2.0, "slow action's median " + t[1]);
    assertTrue(t[0] < t[1]);
  }

  @Test
  void optionsRejectEmptyMeasurements() {
    assertThrows(IllegalArgumentException.class, () -> new BenchOptions(0, 1, 1, false));
    assertThrows(IllegalArgumentException.class, () -> new BenchOptions(1, 1, 0, false));
  }

  @Test
  void suiteRunsPartitionFirstAndTheOtherBuiltInSectionsLast() {
    // partition's 100k point is sensitive to what ran before it in the process (see BenchSuite);
    // sections found through ServiceLoader (golden-cnn) come between
    List<String> names = BenchSuite.sections().stream().map(BenchSection::name).toList();
    assertEquals("partition", names.get(0));
    assertEquals(List.of("simulator", "fuzz"), names.subList(names.size() - 2, names.size()));
  }
}
