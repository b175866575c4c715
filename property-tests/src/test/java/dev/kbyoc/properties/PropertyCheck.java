package dev.kbyoc.properties;

import static org.junit.jupiter.api.Assertions.fail;

import dev.kbyoc.ir.Faults;
import dev.kbyoc.testing.Attach;
import dev.kbyoc.verify.Bundle;
import dev.kbyoc.verify.CaseRun;
import dev.kbyoc.verify.CaseText;
import dev.kbyoc.verify.GenOptions;
import dev.kbyoc.verify.Gen;
import dev.kbyoc.verify.GraphCase;
import dev.kbyoc.verify.GraphGenerator;
import dev.kbyoc.verify.GraphShrinker;
import dev.kbyoc.verify.Oracle;
import dev.kbyoc.verify.Oracles;
import dev.kbyoc.verify.PropertyRunner;
import dev.kbyoc.verify.RunConfig;
import dev.kbyoc.verify.Toolchains;
import dev.kbyoc.verify.Verdict;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs one graph property with the kbyoc engine: {@code -Dkbyoc.tries=N} tries from
 * {@code -Dkbyoc.seed=S} (fresh and printed otherwise). On failure the case is shrunk and the
 * test fails with the seed, the reduction, the shrunk graph as Relay text and, for oracle
 * properties, the path of a repro bundle under {@code target/kbyoc-bundles}.
 */
final class PropertyCheck {
  static final GraphGenerator GRAPHS = new GraphGenerator(GenOptions.DEFAULT.withMaxNodes(30));

  private PropertyCheck() {}

  /** One oracle over random graphs, through the standard toolchain. */
  static void oracle(int defaultTries, Oracle o) {
    oracle(defaultTries, o, GRAPHS);
  }

  /** One oracle over graphs from {@code gen}, through the standard toolchain. */
  static void oracle(int defaultTries, Oracle o, Gen<GraphCase> gen) {
    graphs(o.name(), defaultTries, gen, c -> Oracles.run(o, new CaseRun(c, Toolchains.standard())), o);
  }

  static void graphs(String name, int defaultTries, Gen<GraphCase> gen, Function<GraphCase, Verdict> property) {
    graphs(name, defaultTries, gen, property, null);
  }

  private static void graphs(String name, int defaultTries, Gen<GraphCase> gen, Function<GraphCase, Verdict> property,
      Oracle o) {
    RunConfig cfg = RunConfig.fromSystem(defaultTries);
    PropertyRunner<GraphCase> runner = new PropertyRunner<>(name, gen, new GraphShrinker(), CaseText::render);
    long t0 = System.nanoTime();
    try (Faults.Scope faults = Faults.inject(injected())) {
      PropertyRunner.Outcome<GraphCase> out = runner.run(cfg, property);
      System.out.printf("property %s: %d tries from seed %d in %.2f s: %s%n", name, out.tried(), cfg.seed(),
          (System.nanoTime() - t0) / 1e9, out.passed() ? "pass" : "FAIL");
      if (!out.passed()) {
        PropertyRunner.Failure<GraphCase> f = out.failure();
        Attach.relay("shrunk graph", CaseText.render(f.reduced().value()));
        fail(f.report() + bundle(name, f, o));
      }
    }
  }

  /**
   * Faults to inject for this run, from {@code -Dkbyoc.inject=a,b} (command-line names as in
   * {@code kbyoc fuzz --inject}); none by default. With a fault on, properties are expected to fail:
   * {@code mvn verify -Dkbyoc.inject=partition-drops-output -Dmaven.test.failure.ignore=true} shows
   * the shrunk graphs and bundles in the report.
   */
  static Set<Faults.Fault> injected() {
    String spec = System.getProperty("kbyoc.inject", "").trim();
    Set<Faults.Fault> out = EnumSet.noneOf(Faults.Fault.class);
    if (!spec.isEmpty()) {
      for (String name : spec.split(",")) {
        out.add(Faults.Fault.parse(name));
      }
    }
    return out;
  }

  private static String bundle(String name, PropertyRunner.Failure<GraphCase> f, Oracle o) {
    if (o == null) {
      return "";
    }
    try {
      CaseRun run = new CaseRun(f.reduced().value(), Toolchains.standard());
      Oracles.run(o, run);
      Path dir = Path.of("target", "kbyoc-bundles", name + "-" + Long.toUnsignedString(f.caseSeed(), 16));
      Path written = Bundle.write(dir, run, f.reduced().verdict(), null, f.reduced()).toAbsolutePath();
      Attach.bundle("repro bundle", written);
      return "\n  bundle: " + written + " (replay: kbyoc repro DIR)";
    } catch (Exception e) {
      return "\n  (bundle not written: " + e + ")";
    }
  }
}
