package dev.kbyoc.pass;

import static dev.kbyoc.pass.G.cb;
import static dev.kbyoc.pass.G.ce;
import static dev.kbyoc.pass.G.fn;
import static dev.kbyoc.pass.G.mod;
import static dev.kbyoc.pass.G.op;
import static dev.kbyoc.pass.G.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import dev.kbyoc.op.AnnotationOps;
import dev.kbyoc.op.Support;
import dev.kbyoc.op.SupportPredicate;
import dev.kbyoc.op.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ports of TVM's tests/python/relay/test_pass_annotate_target.py (v0.7) within our op set. */
class AnnotateTargetTest {
  static final Target TEST_ADD = Target.ofOps("test", List.of("add"));

  /** test_multiple_ends: relu on "test", abs and add on the host; one end per consumer edge. */
  @Test
  void multipleEnds() {
    Target test = Target.ofOps("test", List.of("nn.relu"));
    Var x = v("x", 10, 10);
    var r = op("nn.relu", x);
    IRModule before = mod(fn(List.of(x), op("add", op("abs", r), op("abs", r))));

    Var ex = v("x", 10, 10);
    var er = op("nn.relu", cb(ex, "test"));
    var a1 = op("abs", cb(ce(er, "test"), "default"));
    var a2 = op("abs", cb(ce(er, "test"), "default"));
    var out = op("add", cb(ce(a1, "default"), "default"), cb(ce(a2, "default"), "default"));
    IRModule expected = mod(fn(List.of(ex), ce(out, "default")));
    IRModule result = AnnotateTarget.run(before, List.of(test));
    G.assertModEq(expected, result);
    assertEquals(5, G.count(result.main(), AnnotationOps.COMPILER_END), "relu and each abs have one end per edge, plus the body");
  }

  /** The same shape with the join offloaded and a var used twice by one call. */
  @Test
  void multipleEndsSharedVar() {
    Var x = v("x", 10, 10);
    var r = op("add", x, x);
    var out = op("add", op("nn.relu", r), op("nn.relu", r));
    IRModule before = mod(fn(List.of(x), out));

    Var ex = v("x", 10, 10);
    var er = op("add", cb(ex, "test"), cb(ex, "test"));
    var a1 = op("nn.relu", cb(ce(er, "test"), "default"));
    var a2 = op("nn.relu", cb(ce(er, "test"), "default"));
    var eout = op("add", cb(ce(a1, "default"), "test"), cb(ce(a2, "default"), "test"));
    IRModule expected = mod(fn(List.of(ex), ce(eout, "test")));

    IRModule result = AnnotateTarget.run(before, List.of(TEST_ADD));
    G.assertModEq(expected, result);
    assertEquals(6, G.count(result.main(), AnnotationOps.COMPILER_BEGIN), "one begin per argument edge");
    assertEquals(5, G.count(result.main(), AnnotationOps.COMPILER_END), "one end per consumer edge + body");
  }

  /** test_type_propagation: predicates see argument types. */
  @Test
  void predicatesSeeTypes() {
    Target floatsOnly = Target.builder("f32")
        .op("nn.relu", call -> ((TensorType) call.arg(0).checkedType()).dtype() == DType.FLOAT32
            ? Support.yes() : Support.no("not float32"))
        .build();
    Var x = v("x", 4);
    Var y = new Var("y", TensorType.of(DType.INT32, 4));
    IRModule before = mod(fn(List.of(x, y), G.tuple(op("nn.relu", x), op("nn.relu", y))));
    IRModule result = AnnotateTarget.run(before, List.of(floatsOnly));

    Var ex = v("x", 4);
    Var ey = new Var("y", TensorType.of(DType.INT32, 4));
    var r1 = op("nn.relu", cb(ex, "f32"));
    var r2 = op("nn.relu", cb(ey, "default"));
    var t = G.tuple(cb(ce(r1, "f32"), "default"), cb(ce(r2, "default"), "default"));
    G.assertModEq(mod(fn(List.of(ex, ey), ce(t, "default"))), result);
  }

  /** The first target in the list that supports an op wins. */
  @Test
  void firstTargetWins() {
    Target a = Target.ofOps("A", List.of("nn.relu", "add"));
    Target b = Target.ofOps("B", List.of("nn.relu"));
    Var x = v("x", 3);
    IRModule before = mod(fn(List.of(x), op("add", op("nn.relu", x), x)));

    Var ex = v("x", 3);
    var r = op("nn.relu", cb(ex, "B"));
    var expectBA = mod(fn(List.of(ex), ce(op("add", cb(ce(r, "B"), "A"), cb(ex, "A")), "A")));
    G.assertModEq(expectBA, AnnotateTarget.run(before, List.of(b, a)));

    Var fx = v("x", 3);
    var r2 = op("nn.relu", cb(fx, "A"));
    var expectAB = mod(fn(List.of(fx), ce(op("add", cb(ce(r2, "A"), "A"), cb(fx, "A")), "A")));
    G.assertModEq(expectAB, AnnotateTarget.run(before, List.of(a, b)));
  }

  /** test_multiple_runs: annotating for A then for B equals annotating for [A, B]. */
  @Test
  void multipleRuns() {
    Target a = Target.ofOps("A", List.of("nn.relu"));
    Target b = Target.ofOps("B", List.of("add"));
    Var x = v("x", 10, 5);
    var a1 = op("nn.relu", x);
    IRModule before = mod(fn(List.of(x), op("add", op("abs", a1), op("nn.relu", a1))));
    IRModule twice = AnnotateTarget.run(AnnotateTarget.run(before, List.of(a)), List.of(b));
    IRModule once = AnnotateTarget.run(before, List.of(a, b));
    G.assertModEq(once, twice);
    assertEquals(5, G.count(once.main(), AnnotationOps.COMPILER_END), "four edges out of calls plus the body");
  }

  /** test_tuple: a tuple between supported producers and consumer joins their target. */
  @Test
  void tupleJoinsItsProducersTarget() {
    Target t = Target.ofOps("test_tuple", List.of("nn.relu", "concatenate"));
    Var x = v("x", 10, 5);
    Var y = v("y", 10, 5);
    var concat = op("concatenate", dev.kbyoc.ir.Attrs.of("axis", 1L), G.tuple(op("nn.relu", x), op("nn.relu", y)));
    IRModule before = mod(fn(List.of(x, y), concat));

    Var ex = v("x", 10, 5);
    Var ey = v("y", 10, 5);
    var a1 = op("nn.relu", cb(ex, "test_tuple"));
    var a2 = op("nn.relu", cb(ey, "test_tuple"));
    var tup = G.tuple(cb(ce(a1, "test_tuple"), "test_tuple"), cb(ce(a2, "test_tuple"), "test_tuple"));
    var out = op("concatenate", dev.kbyoc.ir.Attrs.of("axis", 1L), cb(ce(tup, "test_tuple"), "test_tuple"));
    IRModule expected = mod(fn(List.of(ex, ey), ce(out, "test_tuple")));
    G.assertModEq(expected, AnnotateTarget.run(before, List.of(t)));
    G.assertSameResults(before, AnnotateTarget.run(before, List.of(t)));
  }

  /** A module annotated this way still evaluates to the same values. */
  @Test
  void annotationsAreTransparent() {
    Var x = v("x", 2, 3);
    Var y = v("y", 2, 3);
    IRModule before = mod(fn(List.of(x, y), op("add", op("nn.relu", op("add", x, y)), y)));
    G.assertSameResults(before, AnnotateTarget.run(before, List.of(TEST_ADD)));
  }

  @Test
  void illTypedGraphIsAUserError() {
    Var x = v("x", 2, 3);
    Var y = v("y", 4, 5);
    IRModule bad = mod(fn(List.of(x, y), op("add", x, y)));
    KbyocException e = assertThrows(KbyocException.class, () -> AnnotateTarget.run(bad, List.of(TEST_ADD)));
    assertTrue(e.getMessage().contains("add"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void unknownOpInSupportedListIsAUserError() {
    KbyocException e = assertThrows(KbyocException.class, () -> Target.ofOps("t", List.of("add", "nn.nosuch")));
    assertEquals("unknown operator [nn.nosuch] in the supported ops of target t", e.getMessage());
  }

  @Test
  void explainGivesEachTargetsVerdict() {
    Target t = Target.builder("t").op("nn.relu", SupportPredicate.always()).build();
    Var x = v("x", 3);
    var f = fn(List.of(x), op("add", op("nn.relu", x), x));
    InferType.run(mod(f));
    var ds = AnnotateTarget.explain(f, List.of(t));
    assertEquals(2, ds.size());
    assertEquals("t", ds.get(0).target());
    assertEquals("default", ds.get(1).target());
    assertEquals("target t does not support add", ds.get(1).verdicts().get("t").reason());
  }
}
