package dev.kbyoc.properties;

import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.StructuralEqual;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.verify.GenOptions;
import dev.kbyoc.verify.GraphCase;
import dev.kbyoc.verify.GraphGenerator;
import dev.kbyoc.verify.Verdict;
import org.junit.jupiter.api.Test;

/** Properties of the generator itself: bounded, well-typed, finite and reproducible graphs. */
class GeneratedGraphsTest {
  private static final GraphGenerator GEN = new GraphGenerator(GenOptions.DEFAULT.withMaxNodes(30));

  @Test
  void graphsAreBoundedAndEvaluateToFiniteValues() {
    PropertyCheck.graphs("generated-graphs-finite", 300, GEN, c -> {
      if (c.opCount() > 30) {
        return Verdict.fail("generator", "too-big", c.opCount() + " ops > 30");
      }
      int k = 0;
      for (NDArray a : new Interpreter(c.module()).runFlat(c.allArgs())) {
        for (int i = 0; i < a.size(); i++) {
          if (!Double.isFinite(a.getDouble(i))) {
            return Verdict.fail("generator", "non-finite", "output " + k + " element " + i + " is " + a.getDouble(i));
          }
        }
        k++;
      }
      return Verdict.pass();
    });
  }

  @Test
  void theSameSeedGivesTheSameCase() {
    PropertyCheck.graphs("generator-deterministic", 300, GEN, c -> {
      GraphCase again = GEN.generate(c.seed());
      if (!StructuralEqual.equal(c.module(), again.module())) {
        return Verdict.fail("generator", "nondeterministic", StructuralEqual.firstDifference(c.module(), again.module()));
      }
      return c.allArgs().equals(again.allArgs()) ? Verdict.pass()
          : Verdict.fail("generator", "nondeterministic-values", "weights or inputs differ for seed " + c.seed());
    });
  }
}
