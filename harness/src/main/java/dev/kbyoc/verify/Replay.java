package dev.kbyoc.verify;

import dev.kbyoc.ir.Faults;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Replays and reduces loaded cases under a fault set, with the standard toolchain for the case's
 * options ({@link Toolchains#forOptions}) and all oracles.
 */
public final class Replay {
  private Replay() {}

  /**
   * Replays a recorded failure: the recorded oracle first (so a bundle of any oracle, not only
   * the first one to fail, reproduces), then, when it passes, all oracles, each unless
   * {@link ModelCheck} would skip it. Returns the recorded oracle's failure, else the first other
   * failure, else pass.
   */
  public static Verdict check(GraphCase c, Verdict recorded, Set<Faults.Fault> faults) {
    Oracle o = Oracles.all().get(recorded.oracle());
    try (Faults.Scope s = Faults.inject(faults)) {
      CaseRun run = new CaseRun(c, Toolchains.forOptions(c.options()));
      Verdict v = o == null ? Verdict.pass() : ModelCheck.firstFailure(run, List.of(o));
      return v.failed() ? v : ModelCheck.firstFailure(run, List.copyOf(Oracles.all().values()));
    }
  }

  /** Shrinks a failing case, keeping the oracle and kind of {@code failing}. */
  public static Reducer.Result<GraphCase> reduce(GraphCase c, Verdict failing, Set<Faults.Fault> faults, int maxChecks) {
    Oracle o = Oracles.all().get(failing.oracle());
    Toolchain tc = Toolchains.forOptions(c.options());
    try (Faults.Scope s = Faults.inject(faults)) {
      return Reducer.reduce(c, failing, new GraphShrinker(),
          x -> o == null ? Oracles.runAll(List.copyOf(Oracles.all().values()), new CaseRun(x, tc)) : Oracles.run(o, new CaseRun(x, tc)),
          maxChecks);
    }
  }

  /** Writes the bundle of a reduced case, re-running its oracle to record engine outputs. */
  public static Path writeBundle(Path dir, Reducer.Result<GraphCase> r, Set<Faults.Fault> faults) throws IOException {
    try (Faults.Scope s = Faults.inject(faults)) {
      CaseRun run = new CaseRun(r.value(), Toolchains.forOptions(r.value().options()));
      Oracle o = Oracles.all().get(r.verdict().oracle());
      if (o != null) {
        Oracles.run(o, run);
      }
      FuzzConfig cfg = FuzzConfig.of(1, r.value().seed(), r.value().options()).withFaults(faults);
      return Bundle.write(dir, run, r.verdict(), cfg, r);
    }
  }
}
