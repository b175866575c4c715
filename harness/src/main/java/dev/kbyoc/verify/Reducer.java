package dev.kbyoc.verify;

import java.util.function.Function;

/**
 * Deterministic greedy reduction: repeatedly takes the first candidate of the {@link Shrinker}
 * that is strictly smaller and still fails with the same oracle and kind, until no candidate
 * does or the step budget runs out. Reports the steps taken and the size before and after.
 */
public final class Reducer {
  /** Default cap on checks per reduction, so a slow oracle cannot stall a run. */
  public static final int DEFAULT_MAX_CHECKS = 4000;

  private Reducer() {}

  /** What a reduction produced. */
  public record Result<T>(T value, Verdict verdict, int steps, int checks, long sizeBefore, long sizeAfter) {
    public String summary() {
      return "reduced in " + steps + " steps (" + checks + " checks): size " + sizeBefore + " -> " + sizeAfter;
    }
  }

  public static <T> Result<T> reduce(T failing, Verdict original, Shrinker<T> shrinker, Function<T, Verdict> check) {
    return reduce(failing, original, shrinker, check, DEFAULT_MAX_CHECKS);
  }

  public static <T> Result<T> reduce(T failing, Verdict original, Shrinker<T> shrinker, Function<T, Verdict> check,
      int maxChecks) {
    if (!original.failed()) {
      throw new IllegalArgumentException("cannot reduce a passing case");
    }
    T current = failing;
    Verdict verdict = original;
    long size = shrinker.size(current);
    long before = size;
    int steps = 0;
    int checks = 0;
    boolean progress = true;
    while (progress && checks < maxChecks) {
      progress = false;
      for (T cand : shrinker.candidates(current)) {
        if (cand == null) {
          continue;
        }
        long s = shrinker.size(cand);
        if (s >= size) {
          continue;
        }
        if (++checks > maxChecks) {
          break;
        }
        Verdict v = safeCheck(check, cand, original.oracle());
        if (v.sameKind(original)) {
          current = cand;
          verdict = v;
          size = s;
          steps++;
          progress = true;
          break;
        }
      }
    }
    return new Result<>(current, verdict, steps, Math.min(checks, maxChecks), before, size);
  }

  private static <T> Verdict safeCheck(Function<T, Verdict> check, T value, String oracle) {
    try {
      return check.apply(value);
    } catch (RuntimeException | StackOverflowError e) {
      return Verdict.crash(oracle, e);
    }
  }
}
