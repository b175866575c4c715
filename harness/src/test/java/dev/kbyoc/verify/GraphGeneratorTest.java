package dev.kbyoc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.StructuralEqual;
import dev.kbyoc.ir.StructuralHash;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.runtime.Interpreter;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GraphGeneratorTest {
  private final GraphGenerator gen = new GraphGenerator(GenOptions.DEFAULT.withMaxNodes(20));

  @Test
  void sameSeedSameGraphAndValues() {
    for (long seed = 0; seed < 30; seed++) {
      GraphCase a = gen.generate(seed);
      GraphCase b = gen.generate(seed);
      assertTrue(StructuralEqual.equal(a.module(), b.module()), "seed " + seed);
      assertEquals(a.allArgs(), b.allArgs(), "seed " + seed);
    }
  }

  @Test
  void seedsDiffer() {
    Set<Integer> hashes = new HashSet<>();
    for (long seed = 0; seed < 40; seed++) {
      hashes.add(StructuralHash.hash(gen.generate(seed).module()));
    }
    assertTrue(hashes.size() > 30, "only " + hashes.size() + " distinct graphs in 40 seeds");
  }

  @Test
  void boundedWellTypedFiniteAndShaped() {
    int tuples = 0;
    int fanOut = 0;
    for (long seed = 0; seed < 200; seed++) {
      GraphCase c = gen.generate(seed);
      assertTrue(c.opCount() >= 1 && c.opCount() <= 20, "op count " + c.opCount());
      for (NDArray out : new Interpreter(c.module()).runFlat(c.allArgs())) {
        for (int i = 0; i < out.size(); i++) {
          assertFalse(Double.isNaN(out.getDouble(i)) || Double.isInfinite(out.getDouble(i)), "seed " + seed);
        }
      }
      if (c.main().body() instanceof Tuple) {
        tuples++;
      }
      if (hasFanOut(c)) {
        fanOut++;
      }
    }
    assertTrue(tuples > 20, "multi-output graphs: " + tuples);
    assertTrue(fanOut > 40, "graphs with fan-out: " + fanOut);
  }

  @Test
  void mixFollowsSupportedRatio() {
    GraphGenerator allSupported = new GraphGenerator(GenOptions.DEFAULT.withTarget("t", Set.of("add")).withSupportedRatio(1.0));
    for (long seed = 0; seed < 20; seed++) {
      for (Expr e : PostOrder.of(allSupported.generate(seed).main())) {
        if (e instanceof Call c) {
          assertEquals("add", c.opOrNull().name());
        }
      }
    }
    assertNotEquals(0, gen.ops().size());
  }

  private static boolean hasFanOut(GraphCase c) {
    java.util.Map<Expr, Integer> uses = new java.util.IdentityHashMap<>();
    for (Expr e : PostOrder.of(c.main().body())) {
      for (Expr k : PostOrder.children(e)) {
        uses.merge(k, 1, Integer::sum);
      }
    }
    return uses.entrySet().stream().anyMatch(en -> en.getKey() instanceof Call && en.getValue() > 1);
  }
}
