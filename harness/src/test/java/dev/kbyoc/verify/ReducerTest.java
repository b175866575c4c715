package dev.kbyoc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.StructuralEqual;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ReducerTest {
  /** Fails when some relu reads an add directly: a pattern the reducer must keep while cutting the rest. */
  private static final Function<GraphCase, Verdict> RELU_OF_ADD = c -> {
    for (Expr e : PostOrder.of(c.main())) {
      if (e instanceof Call r && r.isOp("nn.relu") && r.arg(0) instanceof Call a && a.isOp("add")) {
        return Verdict.fail("test", "relu-of-add", "relu " + r.describe() + " reads add " + a.describe());
      }
    }
    return Verdict.pass();
  };

  @Test
  void shrinksToThePatternDeterministically() {
    GraphGenerator gen = new GraphGenerator(GenOptions.DEFAULT.withMaxNodes(30).withMinNodes(20).withOnlyOps(java.util.Set.of("add", "nn.relu", "multiply", "nn.conv2d")));
    int found = 0;
    for (long seed = 0; seed < 60 && found < 5; seed++) {
      GraphCase c = gen.generate(seed);
      Verdict v = RELU_OF_ADD.apply(c);
      if (v.passed()) {
        continue;
      }
      found++;
      GraphShrinker s = new GraphShrinker();
      Reducer.Result<GraphCase> r = Reducer.reduce(c, v, s, RELU_OF_ADD);
      assertTrue(r.verdict().sameKind(v));
      assertEquals(2, r.value().opCount(), "seed " + seed + ": " + r.summary());
      assertTrue(r.steps() > 0 && r.sizeAfter() < r.sizeBefore());
      Reducer.Result<GraphCase> again = Reducer.reduce(c, v, s, RELU_OF_ADD);
      assertTrue(StructuralEqual.equal(r.value().module(), again.value().module()));
      assertEquals(r.steps(), again.steps());
      // Leaf data shrank too: the add reads at most two small tensors.
      assertTrue(r.value().elementCount() <= c.elementCount());
    }
    assertTrue(found >= 3, "too few cases with the pattern: " + found);
  }

  @Test
  void keepsTheFailureKind() {
    GraphCase c = new GraphGenerator(GenOptions.DEFAULT.withMaxNodes(15).withMinNodes(10).withOnlyOps(java.util.Set.of("add", "nn.relu"))).generate(7);
    Function<GraphCase, Verdict> twoKinds = x -> x.opCount() >= 3 ? Verdict.fail("t", "big", "") : Verdict.fail("t", "small", "");
    Reducer.Result<GraphCase> r = Reducer.reduce(c, twoKinds.apply(c), new GraphShrinker(), twoKinds);
    assertEquals(3, r.value().opCount());
    assertEquals("big", r.verdict().kind());
  }
}
