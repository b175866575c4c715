package dev.kbyoc.verify.bench;

/**
 * One measured figure: what was measured, its value and unit, and (when the issue sets one) the
 * goal it is held to, as an upper or lower bound.
 *
 * @param section the section that measured it, e.g. {@code golden-cnn}
 * @param name what, e.g. {@code mobilenet ours/ort}
 * @param value the measurement
 * @param unit e.g. {@code ms}, {@code x}, {@code GMAC/s}
 * @param goal the bound, or NaN when the figure is informational
 * @param atMost whether the goal is an upper bound (true) or a lower bound (false)
 */
public record Figure(String section, String name, double value, String unit, double goal, boolean atMost) {
  /** An informational figure without a goal. */
  public static Figure info(String section, String name, double value, String unit) {
    return new Figure(section, name, value, unit, Double.NaN, true);
  }

  /** Whether the figure has a goal. */
  public boolean hasGoal() {
    return !Double.isNaN(goal);
  }

  /** Whether the goal holds (true when there is none). */
  public boolean met() {
    return !hasGoal() || (atMost ? value <= goal : value >= goal);
  }
}
