package dev.kbyoc.properties;

import static org.junit.jupiter.api.Assertions.fail;

import dev.kbyoc.verify.Gen;
import dev.kbyoc.verify.GraphCase;
import dev.kbyoc.verify.GraphShrinker;
import dev.kbyoc.verify.PropertyRunner;
import dev.kbyoc.verify.RunConfig;
import dev.kbyoc.verify.Verdict;
import java.util.function.Function;

/**
 * Runs one graph property with the kbyoc engine: {@code -Dkbyoc.tries=N} tries from
 * {@code -Dkbyoc.seed=S} (fresh and printed otherwise). On failure the case is shrunk and the
 * test fails with the seed, the reduction and the shrunk graph.
 */
final class PropertyCheck {
  private PropertyCheck() {}

  static void graphs(String name, int defaultTries, Gen<GraphCase> gen, Function<GraphCase, Verdict> property) {
    RunConfig cfg = RunConfig.fromSystem(defaultTries);
    PropertyRunner<GraphCase> runner = new PropertyRunner<>(name, gen, new GraphShrinker(), GraphRender::describe);
    long t0 = System.nanoTime();
    PropertyRunner.Outcome<GraphCase> out = runner.run(cfg, property);
    System.out.printf("property %s: %d tries from seed %d in %.2f s: %s%n", name, out.tried(), cfg.seed(),
        (System.nanoTime() - t0) / 1e9, out.passed() ? "pass" : "FAIL");
    if (!out.passed()) {
      fail(out.failure().report() + GraphRender.bundleLine(out.failure()));
    }
  }
}
