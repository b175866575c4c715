package dev.kbyoc.cli;

import dev.kbyoc.frontend.ModelLoader;
import dev.kbyoc.ir.Faults;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.onnx.OnnxImporter;
import dev.kbyoc.op.Target;
import dev.kbyoc.op.Targets;
import dev.kbyoc.runtime.Npy;
import dev.kbyoc.verify.Bundle;
import dev.kbyoc.verify.CaseRun;
import dev.kbyoc.verify.FuzzConfig;
import dev.kbyoc.verify.GenOptions;
import dev.kbyoc.verify.GraphCase;
import dev.kbyoc.verify.ModelCase;
import dev.kbyoc.verify.ModelCheck;
import dev.kbyoc.verify.Oracles;
import dev.kbyoc.verify.Toolchains;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kbyoc check MODEL}: every oracle of the fuzzer on one user model, one table row each
 * (PASS, FAIL or SKIP with its reason, time, message). Inputs not given by {@code --input} are
 * seeded values ({@link ModelCase}). Exit 1 when an oracle fails, with a repro bundle per failure
 * under {@code --out} that {@code kbyoc repro} replays.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Run every oracle (partition soundness, semantic and numeric equivalence,",
        "quantized rounding, no duplicate constants, round trips) on one model and print",
        "one row per oracle: PASS, FAIL or SKIP (with the reason), time and message.",
        "Exit 0 when none fails, 1 when one fails, 2 when the input is bad."})
final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "Relay text (.relay) or ONNX (.onnx) model.")
  Path model;

  @Option(names = "--params", paramLabel = "P", description = "TVM params file with weights bound to @main's parameters by name.")
  Path params;

  @Option(names = "--shape", paramLabel = "NAME=1x3x224x224", description = "Fixes the shape of ONNX input NAME (repeatable).")
  List<String> shapes = new ArrayList<>();

  @Option(names = "--target", paramLabel = "NAME", defaultValue = "kendryte",
      description = "Built-in target, or the name of the target defined by --supported-ops (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--supported-ops", paramLabel = "OP", split = ",", description = "Define target NAME as supporting exactly these ops.")
  List<String> supportedOps;

  @Option(names = "--input", paramLabel = "NAME=FILE.npy",
      description = "Value of @main's parameter NAME (repeatable); other inputs get seeded values.")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the generated inputs, decimal or 0x-hex (default ${DEFAULT-VALUE}).", defaultValue = "0")
  String seed;

  @Option(names = "--inject", paramLabel = "FAULT", description = "Switch on a deliberate compiler fault: ${COMPLETION-CANDIDATES}.",
      split = ",", converter = FuzzCommand.FaultConverter.class, completionCandidates = FuzzCommand.FaultNames.class)
  List<Faults.Fault> inject = List.of();

  @Option(names = "--out", paramLabel = "DIR", description = "Write a repro bundle per failing oracle to DIR/<oracle>.")
  Path out;

  @Option(names = "--json", description = "Print the results as JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() {
    GenOptions options = options();
    long s = FuzzCommand.parseSeed(seed);
    Map<String, NDArray> given = new LinkedHashMap<>();
    RunCommand.parseInputs(inputs).forEach((name, file) -> given.put(name, Npy.read(file)));
    ModelLoader.Model m = ModelLoader.load(model, params, OnnxImporter.parseShapes(shapes));
    PrintWriter err = spec.commandLine().getErr();
    Set<String> names = new TreeSet<>();
    m.module().main().params().forEach(p -> names.add(p.name()));
    m.params().keySet().stream().filter(k -> !names.contains(k))
        .forEach(k -> err.println("kbyoc: warning: param [" + k + "] matches no parameter of @main; ignored"));
    err.flush();
    GraphCase c = ModelCase.of(m.module(), m.params(), given, s, options);
    Set<Faults.Fault> faults = inject.isEmpty() ? Set.of() : EnumSet.copyOf(inject);
    List<ModelCheck.Row> rows;
    Map<String, Path> bundles = new LinkedHashMap<>();
    try (Faults.Scope scope = Faults.inject(faults)) {
      CaseRun run = new CaseRun(c, Toolchains.forOptions(options));
      rows = ModelCheck.run(run, List.copyOf(Oracles.all().values()));
      if (out != null) {
        FuzzConfig cfg = FuzzConfig.of(1, s, options).withFaults(faults);
        for (ModelCheck.Row r : rows) {
          if (r.status() == ModelCheck.Status.FAIL) {
            bundles.put(r.oracle(), writeBundle(out.resolve(r.oracle()), run, r, cfg));
          }
        }
      }
    }
    CheckTable.Header h = new CheckTable.Header(model.toString(), options.target(), s, c.opCount(), given.keySet(),
        c.inputs().keySet(), List.copyOf(faults));
    PrintWriter o = spec.commandLine().getOut();
    o.print(json ? CheckTable.json(h, rows, bundles) : CheckTable.text(h, rows, bundles));
    o.flush();
    return rows.stream().anyMatch(r -> r.status() == ModelCheck.Status.FAIL) ? Main.EXIT_FAILED : 0;
  }

  private static Path writeBundle(Path dir, CaseRun run, ModelCheck.Row r, FuzzConfig cfg) {
    try {
      return Bundle.write(dir, run, r.verdict(), cfg, null);
    } catch (IOException e) {
      String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null
          ? f.getFile() + ": " + f.getReason() : e.toString();
      throw new KbyocException(dir + ": cannot write the repro bundle: " + why);
    }
  }

  /** The case options for the target: a built-in one, or the ad-hoc one of {@code --supported-ops}. */
  private GenOptions options() {
    if (supportedOps == null) {
      Targets.get(target); // an unknown name is a one-line error listing the built-in targets
      return GenOptions.DEFAULT.withTarget(target, Set.of());
    }
    Target t = Target.ofOps(target, supportedOps);
    if (t.ops().isEmpty()) {
      throw new KbyocException("--supported-ops lists no op for target " + target);
    }
    return GenOptions.DEFAULT.withTarget(target, t.ops());
  }
}
