package dev.kbyoc.cli;

import dev.kbyoc.build.PartitionFlow;
import dev.kbyoc.build.SampleModels;
import dev.kbyoc.build.SeedScenario;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.op.Targets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kbyoc demo}: the motivating scenario end to end on the built-in CNN: build with the
 * default constant updater forced (the seed bug) and with Kendryte's registered one, export,
 * load, run on the graph runtime, and print the size / warning / equivalence table. Exit 0 when
 * the registered build is clean and both give identical outputs, 1 otherwise.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the motivating scenario end to end on a built-in CNN.")
final class DemoCommand implements Callable<Integer> {
  /** Tolerance of the graph runtime against the interpreter (float32, max relative error). */
  static final double TOLERANCE = 1e-5;

  @Option(names = "--seed", defaultValue = "42", description = "seed of the built-in CNN's weights and input (default ${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() {
    IRModule original = SampleModels.cnnUnpartitioned(seed);
    IRModule model = PartitionFlow.run(original, Map.of(), Targets.get("kendryte"));
    NDArray input = SampleModels.random(new Random(seed + 1), 1, 3, 16, 16);
    List<String> regions = model.functions().entrySet().stream().filter(e -> e.getValue().compiler() != null)
        .map(e -> "@" + e.getKey()).toList();
    System.out.println("kbyoc demo: built-in CNN (data: Tensor[(1, 3, 16, 16), float32], seed " + seed
        + ") partitioned for kendryte into " + String.join(", ", regions) + " and a host part");
    SeedScenario.Report r = SeedScenario.run(original, model, Map.of("data", input));
    System.out.print(r.table());
    boolean ok = r.asExpected(TOLERANCE);
    System.out.println(ok
        ? "result: the default updater stores " + r.defaults().duplicatedBytes() + " constant bytes twice and warns "
            + r.defaults().warnings() + " times; the registered updater stores each constant once, with no warning; outputs identical"
        : "result: UNEXPECTED (see the table)");
    return ok ? 0 : Main.EXIT_FAILED;
  }
}
