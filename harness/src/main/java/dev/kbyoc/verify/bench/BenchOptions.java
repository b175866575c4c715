package dev.kbyoc.verify.bench;

/**
 * How long to measure.
 *
 * @param threads threads for both sides of a comparison (our host kernels use their shared pool;
 *     peers are given the same number)
 * @param warmup untimed runs before timing
 * @param repeats timed runs; the median is reported
 * @param quick smaller sizes (for a smoke run), not for recorded figures
 */
public record BenchOptions(int threads, int warmup, int repeats, boolean quick) {
  public BenchOptions {
    if (threads < 1 || warmup < 0 || repeats < 1) {
      throw new IllegalArgumentException("threads and repeats must be >= 1, warmup >= 0");
    }
  }
}
