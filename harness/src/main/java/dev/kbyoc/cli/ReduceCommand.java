package dev.kbyoc.cli;

import dev.kbyoc.ir.Faults;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.verify.Bundle;
import dev.kbyoc.verify.GraphCase;
import dev.kbyoc.verify.Reducer;
import dev.kbyoc.verify.Replay;
import dev.kbyoc.verify.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kbyoc reduce BUNDLE -o OUT}: shrinks a repro bundle while it fails the same way. */
@Command(name = "reduce", mixinStandardHelpOptions = true,
    description = "Shrink a repro bundle while the same oracle fails with the same kind; write the result to OUT.")
final class ReduceCommand implements Callable<Integer> {
  @Parameters(paramLabel = "BUNDLE", description = "A repro bundle directory.")
  Path bundle;

  @Option(names = {"-o", "--out"}, required = true, description = "Directory for the reduced bundle.")
  Path out;

  @Option(names = "--max-checks", defaultValue = "4000", description = "Most oracle runs (default ${DEFAULT-VALUE}).")
  int maxChecks;

  @Override
  public Integer call() throws IOException {
    Bundle.Loaded b = Bundle.read(bundle);
    EnumSet<Faults.Fault> faults = b.faults().isEmpty() ? EnumSet.noneOf(Faults.Fault.class) : EnumSet.copyOf(b.faults());
    Verdict now = Replay.check(b.testCase(), b.verdict(), faults);
    if (!now.sameKind(b.verdict())) {
      throw new KbyocException(bundle + " does not reproduce " + b.verdict().oracle() + "/" + b.verdict().kind()
          + " (now: " + now + "); nothing to reduce");
    }
    Reducer.Result<GraphCase> r = Replay.reduce(b.testCase(), now, faults, maxChecks);
    Path written = Replay.writeBundle(out, r, faults);
    System.out.println(r.summary() + "; " + b.testCase().opCount() + " -> " + r.value().opCount() + " ops");
    System.out.println(r.verdict());
    System.out.println("bundle: " + written + "  (replay: kbyoc repro " + written + ")");
    return 0;
  }
}
