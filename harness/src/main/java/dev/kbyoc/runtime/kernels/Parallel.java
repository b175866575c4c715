package dev.kbyoc.runtime.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * The host kernels' shared thread pool: one {@link ForkJoinPool} with as many workers as the
 * machine has cores (or {@code -Dkbyoc.threads=N}), so every kernel of every module shares it and
 * nested calls never oversubscribe. Small loops run inline: splitting costs more than it saves.
 */
public final class Parallel {
  /** Below this many multiply-adds (or element operations) a loop runs on the calling thread. */
  static final long MIN_PARALLEL_WORK = 1L << 18;

  private static final int THREADS = Integer.getInteger("kbyoc.threads", Runtime.getRuntime().availableProcessors());
  private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS) : null;

  private Parallel() {}

  /** The number of threads the host kernels use. */
  public static int threads() {
    return THREADS;
  }

  /**
   * Runs {@code body} for every index in [0, n), split across the pool when the total work
   * ({@code n * workPerIndex}) is large enough; each index is handled exactly once.
   */
  static void forEach(int n, long workPerIndex, IntConsumer body) {
    if (POOL == null || n < 2 || n * workPerIndex < MIN_PARALLEL_WORK) {
      for (int i = 0; i < n; i++) {
        body.accept(i);
      }
      return;
    }
    int grain = Math.max(1, n / (THREADS * 4));
    POOL.invoke(new Range(0, n, grain, body));
  }

  /** A binary-split range task. */
  private static final class Range extends RecursiveAction {
    private final int lo;
    private final int hi;
    private final int grain;
    private final transient IntConsumer body;

    Range(int lo, int hi, int grain, IntConsumer body) {
      this.lo = lo;
      this.hi = hi;
      this.grain = grain;
      this.body = body;
    }

    @Override
    protected void compute() {
      if (hi - lo <= grain) {
        for (int i = lo; i < hi; i++) {
          body.accept(i);
        }
        return;
      }
      int mid = (lo + hi) >>> 1;
      invokeAll(new Range(lo, mid, grain, body), new Range(mid, hi, grain, body));
    }
  }
}
