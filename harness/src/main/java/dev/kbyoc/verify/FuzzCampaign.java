package dev.kbyoc.verify;

import dev.kbyoc.ir.Faults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * A random-graph campaign: generate each case of the shard from its seed, push it through the
 * toolchain, run the oracles, and for each failure reduce it (same oracle, same kind) and write a
 * repro bundle. Cases run on {@code jobs} threads; the time budget stops new cases from starting.
 */
public final class FuzzCampaign {
  private final Toolchain toolchain;
  private final List<Oracle> oracles;
  private final BundleWriter bundles;
  private final java.util.concurrent.atomic.AtomicInteger failCount = new java.util.concurrent.atomic.AtomicInteger();

  /** Writes the repro bundle of a (reduced) failing case into a directory. */
  @FunctionalInterface
  public interface BundleWriter {
    Path write(Path dir, CaseRun run, Verdict verdict, FuzzConfig cfg, Reducer.Result<GraphCase> reduced) throws IOException;
  }

  /** A campaign that writes no bundles. */
  public FuzzCampaign(Toolchain toolchain, List<Oracle> oracles) {
    this(toolchain, oracles, null);
  }

  public FuzzCampaign(Toolchain toolchain, List<Oracle> oracles, BundleWriter bundles) {
    this.toolchain = toolchain;
    this.oracles = List.copyOf(oracles);
    this.bundles = bundles;
  }

  /** One finished case. {@code bundle} is null when no output directory was given or it passed. */
  public record CaseResult(int index, long seed, Verdict verdict, int ops, Reducer.Result<GraphCase> reduced,
      Path bundle) {}

  /** The campaign's outcome; {@link #line()} is the closing {@code N passed, M failed}. */
  public record Summary(int passed, int failed, List<CaseResult> failures, double seconds) {
    public String line() {
      return passed + " passed, " + failed + " failed";
    }

    public double casesPerSecond() {
      return (passed + failed) / Math.max(1e-9, seconds);
    }
  }

  /** Runs every oracle on one case. */
  public Verdict check(GraphCase c) {
    return Oracles.runAll(oracles, new CaseRun(c, toolchain));
  }

  /** Runs the campaign; {@code progress} hears each finished case (true = passed). */
  public Summary run(FuzzConfig cfg, Consumer<Boolean> progress) {
    GraphGenerator gen = new GraphGenerator(cfg.options());
    long start = System.nanoTime();
    failCount.set(0);
    List<CaseResult> failures = new ArrayList<>();
    int passed = 0;
    try (Faults.Scope scope = Faults.inject(cfg.faults())) {
      ExecutorService pool = Executors.newFixedThreadPool(cfg.jobs(), r -> {
        Thread t = new Thread(null, r, "kbyoc-fuzz", 64L << 20);
        t.setDaemon(true);
        return t;
      });
      try {
        List<Future<CaseResult>> futures = new ArrayList<>();
        for (int i = 0; i < cfg.tries(); i++) {
          if (cfg.mine(i)) {
            int index = i;
            futures.add(pool.submit(() -> runCase(gen, cfg, index, start, progress)));
          }
        }
        for (Future<CaseResult> f : futures) {
          CaseResult r = get(f);
          if (r == null) {
            continue;
          }
          if (r.verdict().passed()) {
            passed++;
          } else {
            failures.add(r);
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
    failures.sort(Comparator.comparingInt(CaseResult::index));
    return new Summary(passed, failures.size(), failures, (System.nanoTime() - start) / 1e9);
  }

  private CaseResult runCase(GraphGenerator gen, FuzzConfig cfg, int index, long start, Consumer<Boolean> progress) {
    if (cfg.timeBudget() != null && System.nanoTime() - start > cfg.timeBudget().toNanos()) {
      return null;
    }
    if (cfg.maxFailures() > 0 && failCount.get() >= cfg.maxFailures()) {
      return null;
    }
    long seed = Seeds.caseSeed(cfg.seed(), index);
    GraphCase c;
    Verdict v;
    CaseRun run;
    try {
      c = gen.generate(seed);
      run = new CaseRun(c, toolchain);
      v = Oracles.runAll(oracles, run);
    } catch (RuntimeException | StackOverflowError e) {
      failCount.incrementAndGet();
      progress.accept(false);
      return new CaseResult(index, seed, Verdict.crash("generator", e), 0, null, null);
    }
    if (v.passed()) {
      progress.accept(true);
      return new CaseResult(index, seed, v, c.opCount(), null, null);
    }
    failCount.incrementAndGet();
    Reducer.Result<GraphCase> r = null;
    CaseRun finalRun = run;
    if (cfg.reduce()) {
      List<Oracle> only = oracles.stream().filter(o -> o.name().equals(v.oracle())).toList();
      Oracle o = only.isEmpty() ? null : only.get(0);
      r = Reducer.reduce(c, v, new GraphShrinker(), x -> o == null ? Oracles.runAll(oracles, new CaseRun(x, toolchain))
          : Oracles.run(o, new CaseRun(x, toolchain)), cfg.maxReduceChecks());
      finalRun = new CaseRun(r.value(), toolchain);
      Oracles.run(o == null ? oracles.get(0) : o, finalRun);
    }
    Path bundle = null;
    if (cfg.out() != null && bundles != null) {
      try {
        bundle = bundles.write(cfg.out().resolve("case-" + Long.toUnsignedString(seed, 16)), finalRun,
            r == null ? v : r.verdict(), cfg, r);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    progress.accept(false);
    return new CaseResult(index, seed, v, c.opCount(), r, bundle);
  }

  private static CaseResult get(Future<CaseResult> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    }
  }
}
