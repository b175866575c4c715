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

  /**
   * Warms each action up as {@link #medianMillis} does, then times them round-robin
   * ({@code repeats} rounds of one run each), so a change in machine load during the measurement
   * slows every action alike; the median in ms per action.
   */
  public static double[] interleavedMedianMillis(List<Action> actions, int warmup, int repeats) throws Exception {
    for (Action a : actions) {
      long w0 = System.nanoTime();
      for (int i = 0; i < warmup || (warmup > 0 && System.nanoTime() - w0 < MIN_WARMUP_NANOS); i++) {
        a.run();
      }
    }
    double[][] t = new double[actions.size()][repeats];
    for (int i = 0; i < repeats; i++) {
      for (int k = 0; k < actions.size(); k++) {
        long t0 = System.nanoTime();
        actions.get(k).run();
        t[k][i] = (System.nanoTime() - t0) / 1e6;
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
