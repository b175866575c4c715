package dev.kbyoc.cli;

import dev.kbyoc.ir.Faults;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.verify.Bundle;
import dev.kbyoc.verify.FuzzCampaign;
import dev.kbyoc.verify.FuzzConfig;
import dev.kbyoc.verify.GenOptions;
import dev.kbyoc.verify.Oracles;
import dev.kbyoc.verify.ProgressBar;
import dev.kbyoc.verify.Reducer;
import dev.kbyoc.verify.RunConfig;
import dev.kbyoc.verify.Seeds;
import dev.kbyoc.verify.Toolchains;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kbyoc fuzz}: a random-graph property campaign ending with {@code N passed, M failed}. */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
    description = {"Generate random graphs, run them through the compiler and check every oracle.",
        "Failures are reduced and written as repro bundles under --out. Exits 1 when any case failed."})
final class FuzzCommand implements Callable<Integer> {
  @Option(names = "--tries", description = "Cases to run (default ${DEFAULT-VALUE}).", defaultValue = "200")
  int tries;

  @Option(names = "--seed", description = "Master seed, decimal or 0x-hex (default: fresh, printed).")
  String seed;

  @Option(names = "--max-nodes", description = "Most op nodes per graph (default ${DEFAULT-VALUE}).", defaultValue = "30")
  int maxNodes;

  @Option(names = "--time-budget", description = "Stop starting new cases after this long, e.g. 90s, 5m.")
  String timeBudget;

  @Option(names = "--jobs", description = "Cases run in parallel (default ${DEFAULT-VALUE}).", defaultValue = "1")
  int jobs;

  @Option(names = "--shard", description = "K/N: run only this shard of the case indices (default 1/1).", defaultValue = "1/1")
  String shard;

  @Option(names = "--inject", description = "Switch on a deliberate compiler fault: ${COMPLETION-CANDIDATES}.",
      split = ",", converter = FaultConverter.class, completionCandidates = FaultNames.class)
  List<Faults.Fault> inject = List.of();

  @Option(names = "--out", description = "Directory for repro bundles of failing cases.")
  Path out;

  @Option(names = "--max-failures", defaultValue = "0",
      description = "Stop starting new cases after this many failures (default: run all tries).")
  int maxFailures;

  @Option(names = "--exclude-ops", split = ",", paramLabel = "OP",
      description = "Never generate these ops (e.g. to keep a campaign going around a known bug).")
  List<String> excludeOps = List.of();

  @Option(names = "--target", paramLabel = "NAME", defaultValue = "kendryte",
      description = "Built-in target the partitions offload to (default ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--no-reduce", description = "Do not shrink failing cases.")
  boolean noReduce;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() {
    if (tries < 0 || maxNodes < 1) {
      throw new KbyocException("--tries must be >= 0 and --max-nodes >= 1");
    }
    long master = seed == null ? Seeds.fresh() : parseSeed(seed);
    String[] kn = shard.split("/");
    FuzzConfig cfg;
    try {
      cfg = FuzzConfig.of(tries, master, options())
          .withJobs(jobs).withShard(Integer.parseInt(kn[0].trim()), Integer.parseInt(kn[1].trim()))
          .withFaults(inject.isEmpty() ? Set.of() : EnumSet.copyOf(inject)).withOut(out).withReduce(!noReduce).withMaxFailures(maxFailures)
          .withTimeBudget(timeBudget == null ? null : RunConfig.parseDuration(timeBudget));
    } catch (RuntimeException e) {
      throw new KbyocException("bad --shard [" + shard + "] or --time-budget [" + timeBudget + "]: " + e.getMessage());
    }
    PrintStream err = System.err;
    PrintStream o = System.out;
    o.println("kbyoc fuzz: seed " + master + ", " + tries + " tries, max " + maxNodes + " nodes, shard " + shard
        + (inject.isEmpty() ? "" : ", injecting " + inject.stream().map(Faults.Fault::cliName).toList()));
    FuzzCampaign campaign = new FuzzCampaign(Toolchains.standard(), List.copyOf(Oracles.all().values()), Bundle::write);
    long mine = java.util.stream.IntStream.range(0, tries).filter(cfg::mine).count();
    FuzzCampaign.Summary s;
    try (ProgressBar bar = quiet ? null : new ProgressBar(err, "fuzz", mine)) {
      s = campaign.run(cfg, passed -> {
        if (bar != null) {
          bar.step(passed);
        }
      });
    }
    for (FuzzCampaign.CaseResult r : s.failures()) {
      o.println("FAIL case " + r.index() + " seed " + r.seed() + " (" + r.ops() + " ops): " + r.verdict());
      Reducer.Result<?> red = r.reduced();
      if (red != null) {
        o.println("  " + red.summary() + " -> " + red.verdict().oracle() + "/" + red.verdict().kind());
      }
      if (r.bundle() != null) {
        o.println("  bundle: " + r.bundle() + "  (replay: kbyoc repro " + r.bundle() + ")");
      }
    }
    o.printf(java.util.Locale.ROOT, "%.1f cases/s over %.1f s%n", s.casesPerSecond(), s.seconds());
    o.println(s.line());
    return s.failed() > 0 ? Main.EXIT_FAILED : 0;
  }

  private GenOptions options() {
    dev.kbyoc.op.Targets.get(target);
    GenOptions o = GenOptions.DEFAULT.withMaxNodes(maxNodes).withTarget(target, Set.of());
    if (excludeOps.isEmpty()) {
      return o;
    }
    Set<String> keep = new java.util.TreeSet<>(new dev.kbyoc.verify.GraphGenerator(o).ops());
    for (String x : excludeOps) {
      if (!keep.remove(x.trim())) {
        throw new KbyocException("--exclude-ops: the generator has no op [" + x.trim() + "]; it draws " + keep);
      }
    }
    return o.withOnlyOps(keep);
  }

  static long parseSeed(String s) {
    try {
      return RunConfig.parseSeed(s);
    } catch (NumberFormatException e) {
      throw new KbyocException("bad --seed [" + s + "]: not a 64-bit integer");
    }
  }

  /** Parses fault names for picocli. */
  static final class FaultConverter implements picocli.CommandLine.ITypeConverter<Faults.Fault> {
    @Override
    public Faults.Fault convert(String value) {
      try {
        return Faults.Fault.parse(value);
      } catch (KbyocException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** The fault names, for help text. */
  static final class FaultNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.Arrays.stream(Faults.Fault.values()).map(Faults.Fault::cliName).iterator();
    }
  }
}
