package dev.kbyoc.verify;

import dev.kbyoc.ir.Faults;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Replays and reduces loaded cases under a fault set, with the standard toolchain and all oracles. */
public final class Replay {
  private Replay() {}

  /** All oracles on one case with exactly {@code faults} switched on. */
  public static Verdict check(GraphCase c, Set<Faults.Fault> faults) {
    try (Faults.Scope s = Faults.inject(faults)) {
      return Oracles.runAll(List.copyOf(Oracles.all().values()), new CaseRun(c, Toolchains.standard()));
    }
  }

  /** Shrinks a failing case, keeping the oracle and kind of {@code failing}. */
  public static Reducer.Result<GraphCase> reduce(GraphCase c, Verdict failing, Set<Faults.Fault> faults, int maxChecks) {
    Oracle o = Oracles.all().get(failing.oracle());
    Toolchain tc = Toolchains.standard();
    try (Faults.Scope s = Faults.inject(faults)) {
      return Reducer.reduce(c, failing, new GraphShrinker(),
          x -> o == null ? Oracles.runAll(List.copyOf(Oracles.all().values()), new CaseRun(x, tc)) : Oracles.run(o, new CaseRun(x, tc)),
          maxChecks);
    }
  }

  /** Writes the bundle of a reduced case, re-running its oracle to record engine outputs. */
  public static Path writeBundle(Path dir, Reducer.Result<GraphCase> r, Set<Faults.Fault> faults) throws IOException {
    try (Faults.Scope s = Faults.inject(faults)) {
      CaseRun run = new CaseRun(r.value(), Toolchains.standard());
      Oracle o = Oracles.all().get(r.verdict().oracle());
      if (o != null) {
        Oracles.run(o, run);
      }
      FuzzConfig cfg = FuzzConfig.of(1, r.value().seed(), r.value().options()).withFaults(faults);
      return Bundle.write(dir, run, r.verdict(), cfg, r);
    }
  }
}
