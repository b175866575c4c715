package dev.kbyoc.verify;

import java.time.Duration;

/**
 * How many tries a property run makes, from which master seed, within what time budget. Tests read
 * it from {@code -Dkbyoc.tries=N -Dkbyoc.seed=S -Dkbyoc.timeBudget=30s}; without a seed a fresh
 * one is drawn and printed, so any failure can be replayed.
 */
public record RunConfig(int tries, long seed, Duration timeBudget) {
  public RunConfig {
    if (tries < 0) {
      throw new IllegalArgumentException("tries [" + tries + "] must be >= 0");
    }
  }

  /** The system-property configuration, defaulting to {@code defaultTries} tries and no time limit. */
  public static RunConfig fromSystem(int defaultTries) {
    String t = System.getProperty("kbyoc.tries");
    String s = System.getProperty("kbyoc.seed");
    String b = System.getProperty("kbyoc.timeBudget");
    int tries = t == null || t.isBlank() ? defaultTries : Integer.parseInt(t.trim());
    long seed = s == null || s.isBlank() ? Seeds.fresh() : parseSeed(s);
    return new RunConfig(tries, seed, b == null || b.isBlank() ? null : parseDuration(b));
  }

  /** A seed written in decimal or as {@code 0x...} hex (both signed 64-bit). */
  public static long parseSeed(String s) {
    String v = s.trim();
    if (v.startsWith("0x") || v.startsWith("0X")) {
      return Long.parseUnsignedLong(v.substring(2), 16);
    }
    return Long.parseLong(v);
  }

  /** {@code 90s}, {@code 5m}, {@code 2h}, {@code 1500ms} or ISO-8601 {@code PT1M}. */
  public static Duration parseDuration(String s) {
    String v = s.trim().toLowerCase(java.util.Locale.ROOT);
    if (v.startsWith("pt")) {
      return Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
    }
    if (v.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
    }
    long n = Long.parseLong(v.substring(0, v.length() - 1));
    return switch (v.charAt(v.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new IllegalArgumentException("bad duration [" + s + "]; use e.g. 90s, 5m, 1h");
    };
  }
}
