package dev.kbyoc.runtime.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The host kernels' worker threads: {@code cores - 1} daemon workers (or {@code -Dkbyoc.threads=N}
 * in all) that, with the calling thread, take the indices of one loop from a shared counter. A
 * graph's layers are small (tens of microseconds), so waking a parked thread per layer would cost
 * as much as the layer: after a loop a worker spins for up to {@link #SPIN_NANOS} waiting for the
 * next one (as ONNX Runtime's pool does) before it parks. One loop at a time: a caller that finds
 * the workers busy (another thread's kernel) runs its loop alone, which computes the same values,
 * since each index always runs the same code. Small loops run inline. On an oversubscribed machine
 * a worker may be descheduled holding an index, and the caller would wait a whole time slice: a
 * caller that waited over {@link #LAG_NANOS} for workers that were spinning (not parked: waking
 * one takes about that long anyway) runs its loops alone for {@link #BACKOFF_NANOS}.
 */
public final class Parallel {
  /**
   * Below this many multiply-adds (or element operations) a loop runs on the calling thread: 2^19,
   * about 13 us on one core. With 2^18 the one MobileNet layer at the threshold (7 us) kept the
   * worker spinning through every run, and where the host runs the two vCPUs on one core that
   * spinning slowed everything the caller ran alone by a third (0.066 -> 0.09 ms per run).
   */
  static final long MIN_PARALLEL_WORK = 1L << 19;
  /**
   * How long an idle worker spins before parking: 1 ms. With 200 us, a ResNet run on two threads
   * took 0.36 ms in some JVMs and 0.60 ms (slower than one thread) in others, the workers parking
   * and being woken late between layers; with 1 ms, 0.31-0.34 ms in every JVM tried.
   */
  static final long SPIN_NANOS = 1_000_000;
  /** A caller that waited longer than this (plus twice its own time per index) for the workers ... */
  static final long LAG_NANOS = 100_000;
  /**
   * ... runs its loops alone for this long: 10 ms (after a back-off the worker has parked, and
   * waking it is not counted, so a long back-off only keeps the pool serial; with 100 ms two-thread
   * ResNet next to ONNX Runtime took 0.32 or 0.47 ms depending on the JVM, with 10 ms 0.33-0.37).
   */
  static final long BACKOFF_NANOS = 10_000_000;

  private static final int THREADS = Math.max(1, Integer.getInteger("kbyoc.threads", Runtime.getRuntime().availableProcessors()));
  private static final ReentrantLock BUSY = new ReentrantLock();
  private static final Worker[] WORKERS = new Worker[THREADS - 1];
  private static volatile Loop current;
  private static volatile long serialUntil;

  static {
    for (int i = 0; i < WORKERS.length; i++) {
      WORKERS[i] = new Worker();
      Thread t = new Thread(WORKERS[i], "kbyoc-kernel-" + (i + 1));
      t.setDaemon(true);
      WORKERS[i].thread = t;
      t.start();
    }
  }

  private Parallel() {}

  /** The number of threads the host kernels use. */
  public static int threads() {
    return THREADS;
  }

  /**
   * Runs {@code body} for every index in [0, n), split across the workers when the total work
   * ({@code n * workPerIndex}) is large enough; each index is handled exactly once.
   */
  static void forEach(int n, long workPerIndex, IntConsumer body) {
    if (THREADS == 1 || n < 2 || n * workPerIndex < MIN_PARALLEL_WORK || System.nanoTime() < serialUntil
        || !BUSY.tryLock()) {
      for (int i = 0; i < n; i++) {
        body.accept(i);
      }
      return;
    }
    try {
      Loop loop = new Loop(n, body);
      current = loop;
      boolean woken = false;
      for (Worker w : WORKERS) {
        if (w.parked) {
          LockSupport.unpark(w.thread);
          woken = true;
        }
      }
      long start = System.nanoTime();
      int mine = loop.work();
      long waitFrom = System.nanoTime();
      while (loop.done.get() < n) {
        Thread.onSpinWait();
      }
      long now = System.nanoTime();
      // a worker finishing its last index legitimately takes up to about one index's time; a
      // worker that had to be woken from park legitimately starts late (that is not a descheduled
      // worker: counting it would keep the pool serial for good, since after a back-off the
      // workers are always parked)
      if (!woken && now - waitFrom > LAG_NANOS + 2 * (waitFrom - start) / Math.max(1, mine)) {
        serialUntil = now + BACKOFF_NANOS;
      }
      current = null;
      if (loop.failure != null) {
        throw loop.failure;
      }
    } finally {
      BUSY.unlock();
    }
  }

  /** One parallel loop: the next index to take and the count of finished ones. */
  private static final class Loop {
    final int n;
    final IntConsumer body;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    volatile RuntimeException failure;

    Loop(int n, IntConsumer body) {
      this.n = n;
      this.body = body;
    }

    /** Runs indices until none is left; returns how many this thread ran. */
    int work() {
      int count = 0;
      for (int i; (i = next.getAndIncrement()) < n; count++) {
        try {
          body.accept(i);
        } catch (RuntimeException | Error e) {
          failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } finally {
          done.incrementAndGet();
        }
      }
      return count;
    }
  }

  /** A worker: runs the current loop, spins a while for the next one, then parks. */
  private static final class Worker implements Runnable {
    Thread thread;
    volatile boolean parked;

    @Override
    public void run() {
      Loop last = null;
      long idleSince = System.nanoTime();
      while (true) {
        Loop l = current;
        if (l != null && l != last) {
          last = l;
          l.work();
          idleSince = System.nanoTime();
        } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          parked = true;
          if (current == null || current == last) {
            LockSupport.park(this);
          }
          parked = false;
          idleSince = System.nanoTime();
        }
      }
    }
  }
}
