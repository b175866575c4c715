package dev.kbyoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.verify.bench.Figure;
import org.junit.jupiter.api.Test;

/** {@code kbyoc bench}'s argument checks and line format (the measurements themselves are not asserted). */
class BenchCommandTest {
  @Test
  void unknownSectionIsAUserError() {
    assertEquals(Main.EXIT_USAGE, Main.execute("bench", "--section", "nosuch"));
  }

  @Test
  void badRepeatsIsAUserError() {
    assertEquals(Main.EXIT_USAGE, Main.execute("bench", "--section", "simulator", "--repeats", "0"));
  }

  @Test
  void linesShowValueUnitAndGoalVerdict() {
    String ok = BenchCommand.line(new Figure("golden-cnn", "resnet ours/ORT", 1.5, "x", 2.0, true));
    assertTrue(ok.contains("resnet ours/ORT") && ok.contains("1.500 x") && ok.endsWith("(goal <= 2: ok)"), ok);
    String missed = BenchCommand.line(new Figure("simulator", "rate", 0.5, "GMAC/s", 1.0, false));
    assertTrue(missed.endsWith("(goal >= 1: MISSED)"), missed);
    assertTrue(BenchCommand.line(Figure.info("fuzz", "cases", 100, "cases")).endsWith("100 cases"));
  }
}
