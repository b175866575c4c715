package dev.kbyoc.verify;

import java.util.function.Function;

/**
 * Runs a property over N generated values from one printed master seed; on the first failure it
 * shrinks the value with the {@link Reducer} and reports the case seed (which replays the case
 * alone), the reduction and the rendered shrunk value.
 *
 * @param <T> the generated type
 */
public final class PropertyRunner<T> {
  private final String name;
  private final Gen<T> gen;
  private final Shrinker<T> shrinker;
  private final Function<T, String> render;

  public PropertyRunner(String name, Gen<T> gen, Shrinker<T> shrinker, Function<T, String> render) {
    this.name = name;
    this.gen = gen;
    this.shrinker = shrinker;
    this.render = render;
  }

  /** The outcome of a run: how many tries passed and the first failure, if any. */
  public record Outcome<T>(String property, RunConfig config, int tried, Failure<T> failure) {
    public boolean passed() {
      return failure == null;
    }
  }

  /** A failing case: its index and seed, the original value and verdict, and the reduction. */
  public record Failure<T>(int index, long caseSeed, T original, Verdict verdict, Reducer.Result<T> reduced,
      String report) {}

  public Outcome<T> run(RunConfig config, Function<T, Verdict> property) {
    long start = System.nanoTime();
    int tried = 0;
    for (int i = 0; i < config.tries(); i++) {
      if (config.timeBudget() != null && System.nanoTime() - start > config.timeBudget().toNanos()) {
        break;
      }
      long caseSeed = Seeds.caseSeed(config.seed(), i);
      T value = gen.sample(caseSeed);
      Verdict v = check(property, value);
      tried++;
      if (v.failed()) {
        Reducer.Result<T> r = Reducer.reduce(value, v, shrinker, x -> check(property, x));
        return new Outcome<>(name, config, tried, new Failure<>(i, caseSeed, value, v, r, report(config, i, caseSeed, v, r)));
      }
    }
    return new Outcome<>(name, config, tried, null);
  }

  private String report(RunConfig config, int index, long caseSeed, Verdict v, Reducer.Result<T> r) {
    return "property " + name + " failed at try " + index + " of master seed " + config.seed()
        + "\n  case seed " + caseSeed + " (replay: -Dkbyoc.seed=" + caseSeed + " -Dkbyoc.tries=1)"
        + "\n  " + v
        + "\n  " + r.summary() + "; reduced: " + r.verdict()
        + "\n" + render.apply(r.value());
  }

  private static <T> Verdict check(Function<T, Verdict> property, T value) {
    try {
      return property.apply(value);
    } catch (RuntimeException | StackOverflowError e) {
      return Verdict.crash("property", e);
    }
  }
}
