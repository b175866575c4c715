package dev.kbyoc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.verify.bench.BenchOptions;
import dev.kbyoc.verify.bench.BenchSection;
import dev.kbyoc.verify.bench.BenchSuite;
import dev.kbyoc.verify.bench.Figure;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kbyoc bench}: runs the performance suite in this process and prints its figures and ratios. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Run the performance suite in one process: the golden CNNs on the graph runtime against",
        "ONNX Runtime (when golden-models is on the class path, as ./kbyoc arranges), the Kendryte simulator's",
        "MAC rate, partition scaling and fuzz throughput. Prints ratios measured in the same run."})
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--json", description = "Print the figures as JSON.")
  boolean json;

  @Option(names = "--section", split = ",", description = "Only these sections (default: all).")
  List<String> only;

  @Option(names = "--warmup", defaultValue = "20", description = "Untimed runs before timing (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--repeats", defaultValue = "31", description = "Timed runs; the median counts (default ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--threads", description = "Threads for both sides of a comparison: ONNX Runtime's intra-op threads and the host kernels' pool (default: the pool size, -Dkbyoc.threads or the number of cores).")
  Integer threads;

  @Option(names = "--quick", description = "Small sizes, for a smoke run; not for recorded figures.")
  boolean quick;

  @Option(names = "--strict", description = "Exit 1 when a figure misses its goal.")
  boolean strict;

  @Override
  public Integer call() throws Exception {
    if (threads != null && threads >= 1 && System.getProperty("kbyoc.threads") == null) {
      // the host kernels' pool is sized once, when first used: size it as asked for both sides
      System.setProperty("kbyoc.threads", Integer.toString(threads));
    }
    int t = threads != null ? threads : dev.kbyoc.runtime.kernels.Parallel.threads();
    if (t != dev.kbyoc.runtime.kernels.Parallel.threads()) {
      throw new KbyocException("--threads " + t + " differs from the host kernels' pool of "
          + dev.kbyoc.runtime.kernels.Parallel.threads() + " (-Dkbyoc.threads); both sides must use the same threads");
    }
    BenchOptions opts;
    try {
      opts = new BenchOptions(t, warmup, repeats, quick);
    } catch (IllegalArgumentException e) {
      throw new KbyocException("bad bench options: " + e.getMessage());
    }
    List<BenchSection> sections = new ArrayList<>();
    for (BenchSection s : BenchSuite.sections()) {
      if (only == null || only.contains(s.name())) {
        sections.add(s);
      }
    }
    if (only != null && sections.size() != only.size()) {
      throw new KbyocException("unknown or unavailable --section in " + only + "; available: "
          + BenchSuite.sections().stream().map(BenchSection::name).toList());
    }
    PrintStream o = System.out;
    List<Figure> figures = new ArrayList<>();
    for (BenchSection s : sections) {
      List<Figure> f = s.run(opts);
      figures.addAll(f);
      if (!json) {
        f.forEach(x -> o.println(line(x)));
      }
    }
    boolean haveOrt = BenchSuite.has("golden-cnn");
    long missed = figures.stream().filter(f -> !f.met()).count();
    long goals = figures.stream().filter(Figure::hasGoal).count();
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("threads", t);
      doc.put("cores", Runtime.getRuntime().availableProcessors());
      doc.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
      doc.put("goals", goals);
      doc.put("goals_missed", missed);
      doc.put("figures", figures.stream().map(BenchCommand::asMap).toList());
      o.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
    } else {
      if (!haveOrt && (only == null || only.contains("golden-cnn"))) {
        o.println("golden-cnn: not on the class path (run through ./kbyoc, which adds golden-models and ONNX Runtime)");
      }
      o.printf(Locale.ROOT, "%d threads; %d of %d goals met%n", t, goals - missed, goals);
    }
    return strict && missed > 0 ? Main.EXIT_FAILED : 0;
  }

  static String line(Figure f) {
    String goal = f.hasGoal()
        ? String.format(Locale.ROOT, "  (goal %s %s: %s)", f.atMost() ? "<=" : ">=", fmt(f.goal()), f.met() ? "ok" : "MISSED")
        : "";
    return String.format(Locale.ROOT, "%-10s %-38s %12s %s%s", f.section(), f.name(), fmt(f.value()), f.unit(), goal);
  }

  private static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%d", (long) v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.3f", v);
  }

  private static Map<String, Object> asMap(Figure f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("section", f.section());
    m.put("name", f.name());
    m.put("value", f.value());
    m.put("unit", f.unit());
    if (f.hasGoal()) {
      m.put("goal", f.goal());
      m.put("bound", f.atMost() ? "at_most" : "at_least");
      m.put("met", f.met());
    }
    return m;
  }
}
