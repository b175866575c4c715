package dev.kbyoc.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import dev.kbyoc.op.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Invariants of bind/annotate/merge/partition on random graphs and on a deep chain. */
class PartitionPropertiesTest {

  /** Op name -> number of distinct calls, over every function of a module. */
  static TreeMap<String, Integer> opCounts(IRModule m) {
    TreeMap<String, Integer> n = new TreeMap<>();
    for (Function f : m.functions().values()) {
      for (Expr e : PostOrder.of(f.body())) {
        if (e instanceof Call c && c.opOrNull() != null) {
          n.merge(c.opOrNull().name(), 1, Integer::sum);
        }
      }
    }
    return n;
  }

  @Test
  void randomGraphsKeepValuesAndOpsAndOffloadEverySupportedOp() {
    for (long seed = 1; seed <= 60; seed++) {
      Random r = new Random(seed);
      Function f = MergeRestrictionCrossCheckTest.randomGraph(r, 4 + r.nextInt(40));
      List<Target> targets = new ArrayList<>(List.of(Target.ofOps("A", MergeRestrictionCrossCheckTest.randomOps(r))));
      if (r.nextBoolean()) {
        targets.add(Target.ofOps("B", MergeRestrictionCrossCheckTest.randomOps(r)));
      }
      IRModule before = G.mod(f);
      IRModule after = PartitionGraphTest.pipeline(before, targets.toArray(new Target[0]));
      String where = "seed " + seed;
      G.assertSameResults(before, after);
      assertEquals(opCounts(before), opCounts(after), where + ": every op appears exactly once");
      G.assertNoAnnotations(after);
      for (Expr e : PostOrder.of(after.main().body())) {
        if (e instanceof Call c && c.opOrNull() != null) {
          for (Target t : targets) {
            assertFalse(t.check(c).supported(), where + ": " + c.opOrNull().name() + " supported by " + t.name()
                + " left on the host");
          }
        }
      }
      for (var e : after.functions().entrySet()) {
        if (!e.getKey().equals("main")) {
          String compiler = e.getValue().compiler();
          assertEquals(e.getKey().replaceFirst("_\\d+$", ""), compiler, where);
          for (Expr x : PostOrder.of(e.getValue().body())) {
            if (x instanceof Call c && c.opOrNull() != null) {
              Target t = targets.stream().filter(tt -> tt.name().equals(compiler)).findFirst().orElseThrow();
              assertNull(t.check(c).reason(), where + ": " + c.opOrNull().name() + " in " + e.getKey());
            }
          }
        }
      }
    }
  }

  @Test
  void deepChainNeedsNoStack() throws Exception {
    Var x = new Var("x", TensorType.f32(2));
    Expr cur = x;
    for (int i = 0; i < 12_000; i++) {
      cur = switch (i % 3) {
        case 0 -> Call.op("add", cur, x);
        case 1 -> Call.op("nn.relu", cur);
        default -> Call.op("tanh", cur);
      };
    }
    IRModule m = G.mod(G.fn(List.of(x), cur));
    AtomicReference<Object> result = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        result.set(PartitionGraphTest.pipeline(m, Target.ofOps("acc", List.of("add", "nn.relu"))));
      } catch (Throwable e) {
        result.set(e);
      }
    }, "small-stack", 256 * 1024);
    t.start();
    t.join();
    if (result.get() instanceof Throwable e) {
      throw new AssertionError("partitioning a 12k chain on a 256 KiB stack failed", e);
    }
    IRModule out = (IRModule) result.get();
    assertEquals(opCounts(m), opCounts(out));
    assertEquals(4_000, opCounts(out.main()).get("tanh"));
    assertEquals(4_001, out.functions().size(), "one function per add/relu stretch before each tanh");
  }

  static TreeMap<String, Integer> opCounts(Function f) {
    return opCounts(G.mod(f));
  }
}
