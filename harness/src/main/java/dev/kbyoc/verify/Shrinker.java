package dev.kbyoc.verify;

import java.util.List;

/**
 * Proposes smaller variants of a failing value, most aggressive first. Candidates need not be
 * valid: the reducer drops those that are not strictly smaller or no longer fail the same way.
 *
 * @param <T> the shrunk type
 */
public interface Shrinker<T> {
  /** Smaller variants of {@code value}, in a deterministic order; may be computed lazily. */
  Iterable<T> candidates(T value);

  /** A measure that every accepted step strictly decreases. */
  long size(T value);

  /** A shrinker that proposes nothing. */
  static <T> Shrinker<T> none(java.util.function.ToLongFunction<T> size) {
    return new Shrinker<>() {
      @Override
      public Iterable<T> candidates(T value) {
        return List.of();
      }

      @Override
      public long size(T value) {
        return size.applyAsLong(value);
      }
    };
  }
}
