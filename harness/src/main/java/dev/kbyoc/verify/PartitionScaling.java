package dev.kbyoc.verify;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.Var;
import dev.kbyoc.op.Target;
import dev.kbyoc.pass.AnnotateTarget;
import dev.kbyoc.pass.BindParams;
import dev.kbyoc.pass.MergeCompilerRegions;
import dev.kbyoc.pass.Pass;
import dev.kbyoc.pass.PartitionGraph;
import dev.kbyoc.pass.PassContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures bind + annotate + merge + partition on generated graphs of 1k, 10k and 100k op calls,
 * to show the BYOC passes scale linearly (the ratio t(100k) / (10 t(10k)) should stay within
 * 1.5). Two shapes: a chain {@code add(prev, w_i)} / {@code nn.relu} with every weight bound
 * (one region holding all constants), and a lattice of width 4 whose cells alternate between a
 * supported op ({@code add}) and an unsupported one ({@code subtract}) like a checkerboard, so
 * regions are small and merges are often restricted. Used by {@code kbyoc bench}; not a unit
 * test (timings do not belong in {@code mvn verify}).
 */
public final class PartitionScaling {
  /**
   * One measurement: graph shape, number of op calls, best CPU time of the measuring thread and
   * best wall time in milliseconds, external functions made. CPU time is what the ratio uses: it
   * does not count time other processes take on a shared machine.
   */
  public record Point(String shape, int ops, double millis, double wallMillis, int functions) {}

  private static final Target TARGET = Target.ofOps("accel", List.of("add", "nn.relu"));

  private PartitionScaling() {}

  /** A chain of {@code n} calls alternating {@code add(prev, w_i)} and {@code nn.relu}, with its params. */
  public static IRModule chain(int n, Map<String, NDArray> params) {
    Var x = new Var("x", TensorType.f32(2));
    List<Var> vars = new ArrayList<>(List.of(x));
    Expr cur = x;
    for (int i = 0; i < n; i++) {
      if (i % 2 == 0) {
        Var w = new Var("w" + i, TensorType.f32(2));
        vars.add(w);
        params.put(w.name(), NDArray.of(new float[] {i, -i}, 2));
        cur = Call.op("add", cur, w);
      } else {
        cur = Call.op("nn.relu", cur);
      }
    }
    return IRModule.fromMain(new Function(vars, cur));
  }

  /** A width-4 lattice of {@code n} binary calls, supported and unsupported alternating as a checkerboard. */
  public static IRModule lattice(int n) {
    int width = 4;
    Var x = new Var("x", TensorType.f32(2));
    Expr[] level = new Expr[width];
    for (int i = 0; i < width; i++) {
      level[i] = x;
    }
    int made = 0;
    for (int d = 0; made < n; d++) {
      Expr[] next = new Expr[width];
      for (int i = 0; i < width; i++) {
        if (made < n) {
          String op = (i + d) % 2 == 0 ? "add" : "subtract";
          next[i] = Call.op(op, level[i], level[(i + 1) % width]);
          made++;
        } else {
          next[i] = level[i];
        }
      }
      level = next;
    }
    return IRModule.fromMain(new Function(List.of(x), new Tuple(List.of(level))));
  }

  private static int runOnce(IRModule m, Map<String, NDArray> params) {
    Pass all = Pass.sequence("partition", BindParams.create(params), AnnotateTarget.create(List.of(TARGET)),
        MergeCompilerRegions.create(), PartitionGraph.create());
    IRModule out = all.apply(m, PassContext.defaults());
    return out.functions().size() - 1;
  }

  /** Best of {@code reps} runs (fresh graph each time) for one shape and size. */
  public static Point measure(String shape, int n, int reps) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    double best = Double.MAX_VALUE;
    double bestWall = Double.MAX_VALUE;
    int functions = 0;
    for (int r = 0; r < reps; r++) {
      Map<String, NDArray> params = new LinkedHashMap<>();
      IRModule m = shape.equals("chain") ? chain(n, params) : lattice(n);
      System.gc();
      long c0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      functions = runOnce(m, params);
      bestWall = Math.min(bestWall, (System.nanoTime() - t0) / 1e6);
      best = Math.min(best, (mx.getCurrentThreadCpuTime() - c0) / 1e6);
    }
    return new Point(shape, n, best, bestWall, functions);
  }

  /** Rounds of interleaved measurements per shape (see {@link #run}). */
  static final int ROUNDS = 3;

  /**
   * Runs the suite and returns every point. Per shape: a warm-up (three 10k runs and one 100k run,
   * so the JIT and the heap have settled at both sizes), then {@link #ROUNDS} rounds of two runs
   * of each size, keeping each size's least CPU time. Every size gets the same number of runs: the
   * least of nine 10k runs against the least of three 100k runs (as before) favoured the 10k point
   * and so inflated the ratio. Interleaving the sizes means a
   * change of machine load during the measurement reaches both ends of the ratio; on a shared
   * machine the 10k point alone moved 86-136 ms between best-of-3 runs before this.
   */
  public static List<Point> run() {
    List<Point> out = new ArrayList<>();
    for (String shape : List.of("chain", "lattice")) {
      for (int i = 0; i < 3; i++) {
        measure(shape, 10_000, 1);
      }
      measure(shape, 100_000, 1);
      Point[] best = new Point[3];
      int[] sizes = {1_000, 10_000, 100_000};
      for (int round = 0; round < ROUNDS; round++) {
        for (int k = 0; k < sizes.length; k++) {
          Point p = measure(shape, sizes[k], 2);
          best[k] = best[k] == null ? p : new Point(shape, p.ops(), Math.min(best[k].millis(), p.millis()),
              Math.min(best[k].wallMillis(), p.wallMillis()), p.functions());
        }
      }
      out.addAll(List.of(best));
    }
    return out;
  }

  /** t(100k) / (10 t(10k)) for a shape: 1.0 is exactly linear. */
  public static double ratio(List<Point> points, String shape) {
    double t10 = 0;
    double t100 = 0;
    for (Point p : points) {
      if (p.shape().equals(shape) && p.ops() == 10_000) {
        t10 = p.millis();
      } else if (p.shape().equals(shape) && p.ops() == 100_000) {
        t100 = p.millis();
      }
    }
    return t100 / (10 * t10);
  }

  /** Prints the table and the ratios; exit code 1 when a ratio exceeds 1.5. */
  public static void main(String[] args) {
    List<Point> points = run();
    for (Point p : points) {
      System.out.printf(Locale.ROOT, "%-8s %7d ops %10.1f ms cpu %10.1f ms wall %6d functions%n", p.shape(), p.ops(),
          p.millis(), p.wallMillis(), p.functions());
    }
    boolean ok = true;
    for (String shape : List.of("chain", "lattice")) {
      double r = ratio(points, shape);
      ok &= r <= 1.5;
      System.out.printf(Locale.ROOT, "%-8s t(100k)/(10 t(10k)) = %.2f%n", shape, r);
    }
    System.exit(ok ? 0 : 1);
  }

}
