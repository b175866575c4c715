package dev.kbyoc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunConfigTest {
  @Test
  void seedsParseInDecimalAndHex() {
    assertEquals(-5L, RunConfig.parseSeed(" -5 "));
    assertEquals(0xFFFFFFFFFFFFFFFFL, RunConfig.parseSeed("0xffffffffffffffff"));
  }

  @Test
  void durationsParse() {
    assertEquals(Duration.ofSeconds(90), RunConfig.parseDuration("90s"));
    assertEquals(Duration.ofMinutes(5), RunConfig.parseDuration("5m"));
    assertEquals(Duration.ofMillis(1500), RunConfig.parseDuration("1500ms"));
    assertEquals(Duration.ofMinutes(1), RunConfig.parseDuration("PT1M"));
  }

  @Test
  void caseSeedsReplayAlone() {
    // Case 3 of master S is case 0 of master caseSeed(S, 3): the printed seed replays it.
    long s = 12345;
    assertEquals(Seeds.caseSeed(s, 3), Seeds.caseSeed(Seeds.caseSeed(s, 3), 0));
    assertEquals(Seeds.caseSeed(s, 4), Seeds.caseSeed(Seeds.caseSeed(s, 3), 1));
    // Neighbouring seeds give unrelated streams (mixed), not shifted copies of one stream.
    // (Unmixed, new SplittableRandom(s + GAMMA) would start with the second value of new SplittableRandom(s).)
    java.util.SplittableRandom a = Seeds.rng(1);
    a.nextLong();
    assertTrue(a.nextLong() != Seeds.rng(1 + Seeds.GAMMA).nextLong());
    java.util.SplittableRandom raw = new java.util.SplittableRandom(1);
    raw.nextLong();
    assertEquals(raw.nextLong(), new java.util.SplittableRandom(1 + Seeds.GAMMA).nextLong());
  }

  @Test
  void progressBarShowsCountsAndRate() {
    ProgressBar bar = new ProgressBar(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), "fuzz", 4);
    bar.step(true);
    bar.step(false);
    String line = bar.line();
    assertTrue(line.startsWith("fuzz [===============>"), line);
    assertTrue(line.contains("] 2/4 1 failed "), line);
  }
}
