package dev.kbyoc.verify.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Warm-up then repeated wall-clock timing of an action, reporting the median. The warm-up runs at
 * least the given count and at least {@link #MIN_WARMUP_NANOS}, so the JIT has compiled the hot
 * loops even on a loaded machine.
 */
public final class Timing {
  /** An action to time. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  /**
   * The least warm-up time per action: 3 s, because on a loaded machine C2 compiles the large
   * Vector API kernels late (with 1 s the first model measured was still partly interpreted).
   */
  public static final long MIN_WARMUP_NANOS = 3_000_000_000L;

  private Timing() {}

  /** The least duration of one block of runs of one action in {@link #interleavedMedianMillis}. */
  static final long BLOCK_NANOS = 50_000_000L;
  /** The start of each block not counted: longer than the graph runtime's workers spin (1 ms). */
  static final long SETTLE_NANOS = 20_000_000L;

  /**
   * Warms each action up as {@link #medianMillis} does, then times them in interleaved blocks:
   * {@code repeats} rounds, each running every action for a block of consecutive runs (at least
   * {@link #BLOCK_NANOS}). A change in machine load during the measurement slows every action
   * alike, while the other action's thread pool, still spinning after its last run (ONNX
   * Runtime's and the graph runtime's workers both spin for a while before parking), only meets
   * the runs in the first {@link #SETTLE_NANOS} of a block (at least one), which are not counted.
   * The median over all counted runs, in ms per action.
   */
  public static double[] interleavedMedianMillis(List<Action> actions, int warmup, int repeats) throws Exception {
    int[] skip = new int[actions.size()];
    int[] block = new int[actions.size()];
    for (int k = 0; k < actions.size(); k++) {
      Action a = actions.get(k);
      long w0 = System.nanoTime();
      for (int i = 0; i < warmup || (warmup > 0 && System.nanoTime() - w0 < MIN_WARMUP_NANOS); i++) {
        a.run();
      }
      long t0 = System.nanoTime();
      a.run();
      long one = Math.max(1, System.nanoTime() - t0);
      skip[k] = (int) Math.max(1, Math.min(1000, SETTLE_NANOS / one + 1));
      block[k] = (int) Math.max(skip[k] + 2, Math.min(5000, BLOCK_NANOS / one + 1));
    }
    double[][] t = new double[actions.size()][];
    for (int k = 0; k < t.length; k++) {
      t[k] = new double[repeats * (block[k] - skip[k])];
    }
    for (int i = 0; i < repeats; i++) {
      for (int k = 0; k < actions.size(); k++) {
        Action a = actions.get(k);
        for (int j = 0; j < skip[k]; j++) {
          a.run(); // may meet the other action's spinning threads: not counted
        }
        for (int j = 0; j < block[k] - skip[k]; j++) {
          long t0 = System.nanoTime();
          a.run();
          t[k][i * (block[k] - skip[k]) + j] = (System.nanoTime() - t0) / 1e6;
        }
      }
    }
    double[] out = new double[actions.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = median(t[k]);
    }
    return out;
  }

  private static double median(double[] t) {
    Arrays.sort(t);
    int n = t.length;
    return n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
  }

  /** Runs {@code a} {@code warmup} times untimed, then {@code repeats} times; the median in ms. */
  public static double medianMillis(Action a, int warmup, int repeats) throws Exception {
    long w0 = System.nanoTime();
    for (int i = 0; i < warmup || (warmup > 0 && System.nanoTime() - w0 < MIN_WARMUP_NANOS); i++) {
      a.run();
    }
    double[] t = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long t0 = System.nanoTime();
      a.run();
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(t);
    return repeats % 2 == 1 ? t[repeats / 2] : (t[repeats / 2 - 1] + t[repeats / 2]) / 2;
  }
}
