package dev.kbyoc.cli;

import dev.kbyoc.ir.Faults;
import dev.kbyoc.verify.Bundle;
import dev.kbyoc.verify.Replay;
import dev.kbyoc.verify.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kbyoc repro BUNDLE}: replays a repro bundle and says whether the failure still occurs. */
@Command(name = "repro", mixinStandardHelpOptions = true,
    description = {"Replay a repro bundle with the faults it was found under.",
        "Exit 1 when it still fails, 0 when it now passes (the bug is fixed)."})
final class ReproCommand implements Callable<Integer> {
  @Parameters(paramLabel = "BUNDLE", description = "A repro bundle directory.")
  Path bundle;

  @Option(names = "--without-faults", description = "Replay without the injected faults recorded in the bundle.")
  boolean withoutFaults;

  @Override
  public Integer call() throws IOException {
    Bundle.Loaded b = Bundle.read(bundle);
    EnumSet<Faults.Fault> faults = EnumSet.noneOf(Faults.Fault.class);
    if (!withoutFaults) {
      faults.addAll(b.faults());
    }
    Verdict now = Replay.check(b.testCase(), b.verdict(), faults);
    System.out.println("bundle: " + b.verdict().oracle() + "/" + b.verdict().kind() + ": " + b.verdict().message());
    if (now.passed()) {
      System.out.println("pass: the recorded failure no longer occurs");
      return 0;
    }
    System.out.println((now.sameKind(b.verdict()) ? "reproduced: " : "fails differently: ") + now);
    return Main.EXIT_FAILED;
  }
}
