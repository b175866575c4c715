package dev.kbyoc.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A seeded generator: a pure function of the random stream it is given, so one seed always
 * yields the same value. Combinators build bigger generators from smaller ones.
 *
 * @param <T> the generated type
 */
@FunctionalInterface
public interface Gen<T> {
  /** The next value drawn from {@code r}. */
  T next(SplittableRandom r);

  /** The value for one seed (mixed through {@link Seeds#rng}). */
  default T sample(long seed) {
    return next(Seeds.rng(seed));
  }

  default <U> Gen<U> map(Function<? super T, ? extends U> f) {
    return r -> f.apply(next(r));
  }

  default <U> Gen<U> flatMap(Function<? super T, Gen<U>> f) {
    return r -> f.apply(next(r)).next(r);
  }

  static <T> Gen<T> constant(T value) {
    return r -> value;
  }

  /** Uniform integers in {@code [lo, hi]}. */
  static Gen<Integer> ints(int lo, int hi) {
    if (hi < lo) {
      throw new IllegalArgumentException("empty range [" + lo + ", " + hi + "]");
    }
    return r -> lo + r.nextInt(hi - lo + 1);
  }

  /** Uniform doubles in {@code [lo, hi)}. */
  static Gen<Double> doubles(double lo, double hi) {
    return r -> lo + (hi - lo) * r.nextDouble();
  }

  /** One of the given values, uniformly. */
  static <T> Gen<T> oneOf(List<T> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("oneOf needs at least one value");
    }
    List<T> copy = List.copyOf(values);
    return r -> copy.get(r.nextInt(copy.size()));
  }

  /** A list of {@code [min, max]} values drawn from {@code element}. */
  static <T> Gen<List<T>> listOf(Gen<T> element, int min, int max) {
    Gen<Integer> len = ints(min, max);
    return r -> {
      int n = len.next(r);
      List<T> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(element.next(r));
      }
      return out;
    };
  }
}
