package dev.kbyoc.pass;

import static dev.kbyoc.pass.G.call;
import static dev.kbyoc.pass.G.cb;
import static dev.kbyoc.pass.G.ce;
import static dev.kbyoc.pass.G.ext;
import static dev.kbyoc.pass.G.fn;
import static dev.kbyoc.pass.G.get;
import static dev.kbyoc.pass.G.mod;
import static dev.kbyoc.pass.G.op;
import static dev.kbyoc.pass.G.tuple;
import static dev.kbyoc.pass.G.v;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.Var;
import dev.kbyoc.op.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ports of TVM's partition tests that need conv2d, batch_norm and binary ops. */
class PartitionGraphNnTest {
  static final Attrs CONV = Attrs.of("kernel_size", List.of(3L, 3L), "channels", 16L, "padding", List.of(1L, 1L));

  static IRModule pipeline(IRModule m, Target t) {
    return PartitionGraphTest.pipeline(m, t);
  }

  static List<Var> bnParams(String prefix) {
    return List.of(v(prefix + "gamma", 16), v(prefix + "beta", 16), v(prefix + "mean", 16), v(prefix + "var", 16));
  }

  static Expr bn(Expr data, List<? extends Expr> p) {
    return op("nn.batch_norm", data, p.get(0), p.get(1), p.get(2), p.get(3));
  }

  /**
   * test_multiple_outputs: one region with three outputs (relu of bn.0, bn.1, bn.2); the host
   * reads them through TupleGetItem in output order.
   */
  @Test
  void multipleOutputs() {
    Var data = v("data", 1, 3, 6, 6);
    Var weight = v("weight", 16, 3, 3, 3);
    List<Var> bp = bnParams("bn_");
    String t = "test_target";
    var conv = op("nn.conv2d", CONV, cb(data, t), cb(weight, t));
    var bnO = bn(conv, bp.stream().map(p -> (Expr) cb(p, t)).toList());
    var relu = op("nn.relu", get(bnO, 0));
    var meanAbs = op("abs", ce(get(bnO, 1), t));
    var varAbs = op("abs", ce(get(bnO, 2), t));
    List<Var> params = List.of(data, weight, bp.get(0), bp.get(1), bp.get(2), bp.get(3));
    IRModule before = mod(fn(params, tuple(ce(relu, t), meanAbs, varAbs)));

    Var i0 = v("test_target_0_i0", 1, 3, 6, 6);
    Var i1 = v("test_target_0_i1", 16, 3, 3, 3);
    List<Var> ib = List.of(v("test_target_0_i2", 16), v("test_target_0_i3", 16), v("test_target_0_i4", 16),
        v("test_target_0_i5", 16));
    var fbn = bn(op("nn.conv2d", CONV, i0, i1), ib);
    var f0 = ext("test_target_0", t, List.of(i0, i1, ib.get(0), ib.get(1), ib.get(2), ib.get(3)),
        tuple(op("nn.relu", get(fbn, 0)), get(fbn, 1), get(fbn, 2)));
    Var ed = v("data", 1, 3, 6, 6);
    Var ew = v("weight", 16, 3, 3, 3);
    List<Var> eb = bnParams("bn_");
    var out = call("test_target_0", ed, ew, eb.get(0), eb.get(1), eb.get(2), eb.get(3));
    IRModule expected = mod(fn(List.of(ed, ew, eb.get(0), eb.get(1), eb.get(2), eb.get(3)),
        tuple(get(out, 0), op("abs", get(out, 1)), op("abs", get(out, 2)))), "test_target_0", f0);

    IRModule result = PartitionGraph.run(before);
    G.assertModEq(expected, result);
    assertEquals(List.of("test_target_0_i0", "test_target_0_i1", "test_target_0_i2", "test_target_0_i3",
        "test_target_0_i4", "test_target_0_i5"), G.paramNames(result.get("test_target_0")));
    G.assertSameResults(before, result);
  }

  /**
   * test_function_lifting: conv2d and batch_norm each in their own region (no merge pass); the
   * second is {@code test_compiler_2} because the conv region's two inputs took IDs 0 and 1.
   */
  @Test
  void functionLifting() {
    Var data = v("data", 1, 3, 6, 6);
    Var weight = v("weight", 16, 3, 3, 3);
    List<Var> bp = bnParams("bn_");
    var conv = op("nn.conv2d", CONV, data, weight);
    List<Var> params = List.of(data, weight, bp.get(0), bp.get(1), bp.get(2), bp.get(3));
    IRModule before = mod(fn(params, bn(conv, bp)));
    IRModule annotated = AnnotateTarget.run(before,
        List.of(Target.ofOps("test_compiler", List.of("nn.batch_norm", "nn.conv2d"))));
    IRModule result = PartitionGraph.run(annotated);

    Var d1 = v("test_compiler_0_i0", 1, 3, 6, 6);
    Var w1 = v("test_compiler_0_i1", 16, 3, 3, 3);
    var f0 = ext("test_compiler_0", "test_compiler", List.of(d1, w1), op("nn.conv2d", CONV, d1, w1));
    Var d0 = v("test_compiler_2_i0", 1, 16, 6, 6);
    List<Var> b2 = List.of(v("test_compiler_2_i1", 16), v("test_compiler_2_i2", 16), v("test_compiler_2_i3", 16),
        v("test_compiler_2_i4", 16));
    var f2 = ext("test_compiler_2", "test_compiler", List.of(d0, b2.get(0), b2.get(1), b2.get(2), b2.get(3)),
        bn(d0, b2));
    Var ed = v("data", 1, 3, 6, 6);
    Var ew = v("weight", 16, 3, 3, 3);
    List<Var> eb = bnParams("bn_");
    var c1 = call("test_compiler_0", ed, ew);
    var c0 = call("test_compiler_2", c1, eb.get(0), eb.get(1), eb.get(2), eb.get(3));
    IRModule expected = mod(fn(List.of(ed, ew, eb.get(0), eb.get(1), eb.get(2), eb.get(3)), c0),
        "test_compiler_0", f0, "test_compiler_2", f2);
    G.assertModEq(expected, result);
    G.assertSameResults(before, result);
  }

  /**
   * test_duplicate_merge_and_tuplegetitem: bn.1 feeds two host ops through two compiler_ends of
   * one TupleGetItem: a single function output.
   */
  @Test
  void duplicateMergeAndTupleGetItem() {
    String t = "test_duplicate_merge_and_tuplegetitem";
    Var data = v("data", 1, 16, 4, 4);
    List<Var> bp = bnParams("bn_");
    var x = bn(data, bp);
    var bnOut1 = get(x, 1);
    List<Var> params = List.of(data, bp.get(0), bp.get(1), bp.get(2), bp.get(3));
    IRModule before = mod(fn(params, tuple(op("nn.relu", get(x, 0)), op("tanh", bnOut1), op("log", bnOut1))));
    IRModule result = pipeline(before, Target.ofOps(t, List.of("nn.batch_norm", "nn.relu")));

    Var i0 = v(t + "_0_i0", 1, 16, 4, 4);
    List<Var> ib = List.of(v(t + "_0_i1", 16), v(t + "_0_i2", 16), v(t + "_0_i3", 16), v(t + "_0_i4", 16));
    var n0 = bn(i0, ib);
    var f0 = ext(t + "_0", t, List.of(i0, ib.get(0), ib.get(1), ib.get(2), ib.get(3)),
        tuple(op("nn.relu", get(n0, 0)), get(n0, 1)));
    Var ed = v("data", 1, 16, 4, 4);
    List<Var> eb = bnParams("bn_");
    var fo = call(t + "_0", ed, eb.get(0), eb.get(1), eb.get(2), eb.get(3));
    var g1 = get(fo, 1);
    IRModule expected = mod(fn(List.of(ed, eb.get(0), eb.get(1), eb.get(2), eb.get(3)),
        tuple(get(fo, 0), op("tanh", g1), op("log", g1))), t + "_0", f0);
    G.assertModEq(expected, result);
    assertEquals(List.of(t + "_0_i0", t + "_0_i1", t + "_0_i2", t + "_0_i3", t + "_0_i4"),
        G.paramNames(result.get(t + "_0")));
    G.assertSameResults(before, result);
  }

  static IRModule multipleUseModel() {
    Var x = v("x", 8, 8);
    Var y = v("y", 8, 8);
    Var z = v("z", 8, 8);
    var add = op("add", x, y);
    return mod(fn(List.of(x, y, z), op("multiply", op("log", add), op("subtract", add, z))));
  }

  /** test_multiple_use_of_an_output, same region: log, subtract and multiply merge into one. */
  @Test
  void multipleUseOfAnOutputSameRegion() {
    IRModule before = multipleUseModel();
    IRModule result = pipeline(before, Target.ofOps("ccompiler", List.of("subtract", "log", "multiply")));
    Var x0 = v("x0", 8, 8);
    Var y0 = v("y0", 8, 8);
    var f = ext("ccompiler_0", "ccompiler", List.of(x0, y0), op("multiply", op("log", x0), op("subtract", x0, y0)));
    Var x = v("x", 8, 8);
    Var y = v("y", 8, 8);
    Var z = v("z", 8, 8);
    IRModule expected = mod(fn(List.of(x, y, z), call("ccompiler_0", op("add", x, y), z)), "ccompiler_0", f);
    G.assertModEq(expected, result);
    assertEquals(List.of("ccompiler_0_i0", "ccompiler_0_i2"), G.paramNames(result.get("ccompiler_0")));
    G.assertSameResults(before, result);
  }

  /** test_multiple_use_of_an_output, different regions: multiply stays on the host. */
  @Test
  void multipleUseOfAnOutputDifferentRegions() {
    IRModule before = multipleUseModel();
    IRModule result = pipeline(before, Target.ofOps("ccompiler", List.of("subtract", "log")));
    Var i0 = v("i0", 8, 8);
    var f0 = ext("ccompiler_0", "ccompiler", List.of(i0), op("log", i0));
    Var x0 = v("x0", 8, 8);
    Var y0 = v("y0", 8, 8);
    var f1 = ext("ccompiler_1", "ccompiler", List.of(x0, y0), op("subtract", x0, y0));
    Var x = v("x", 8, 8);
    Var y = v("y", 8, 8);
    Var z = v("z", 8, 8);
    var add = op("add", x, y);
    IRModule expected = mod(fn(List.of(x, y, z), op("multiply", call("ccompiler_0", add), call("ccompiler_1", add, z))),
        "ccompiler_0", f0, "ccompiler_1", f1);
    G.assertModEq(expected, result);
    G.assertSameResults(before, result);
  }

  /**
   * test_constant_tuples: a tuple of constants feeding a supported op is not a parameter; like
   * TVM's IsConstant/Bind it goes inside the function.
   */
  @Test
  void constantTupleStaysInside() {
    var c1 = new dev.kbyoc.ir.Constant(dev.kbyoc.ir.NDArray.of(new float[] {1, 2}, 1, 2));
    var c2 = new dev.kbyoc.ir.Constant(dev.kbyoc.ir.NDArray.of(new float[] {3, 4}, 1, 2));
    Attrs axis0 = Attrs.of("axis", 0L);
    Var x = v("x", 2, 2);
    IRModule before = mod(fn(List.of(x), op("add", x, op("concatenate", axis0, tuple(c1, c2)))));
    IRModule result = pipeline(before, Target.ofOps("const_tuples", List.of("concatenate", "add")));

    Var p0 = v("const_tuples_0_i0", 2, 2);
    var f = ext("const_tuples_0", "const_tuples", List.of(p0), op("add", p0, op("concatenate", axis0, tuple(c1, c2))));
    Var ex = v("x", 2, 2);
    G.assertModEq(mod(fn(List.of(ex), call("const_tuples_0", ex)), "const_tuples_0", f), result);
    G.assertSameResults(before, result);
  }

  /**
   * test_multi_node_compiler (CcompilerAnnotator): two regions add-subtract-multiply sharing the
   * input x, each with its own begins; the third branch stays on the host. The second region is
   * {@code ccompiler_4}: the first took IDs 0-3 for its four inputs.
   */
  @Test
  void multiNodeCompiler() {
    Var x = v("x", 10, 10);
    List<Var> w = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      w.add(v("w" + i, 10, 10));
    }
    String c = "ccompiler";
    java.util.function.IntFunction<Expr> branch = k -> ce(op("multiply",
        op("subtract", op("add", cb(x, c), cb(w.get(3 * k), c)), cb(w.get(3 * k + 1), c)), cb(w.get(3 * k + 2), c)), c);
    var q2 = op("subtract", op("add", x, w.get(6)), w.get(7));
    List<Var> params = new java.util.ArrayList<>(List.of(x));
    params.addAll(w);
    Attrs axis0 = Attrs.of("axis", 0L);
    IRModule before = mod(fn(params, op("concatenate", axis0, tuple(branch.apply(0), branch.apply(1), q2))));
    IRModule result = PartitionGraph.run(before);

    java.util.function.IntFunction<dev.kbyoc.ir.Function> fnOf = id -> {
      List<Var> ps = List.of(v(c + "_" + id + "_i0", 10, 10), v(c + "_" + id + "_i1", 10, 10),
          v(c + "_" + id + "_i2", 10, 10), v(c + "_" + id + "_i3", 10, 10));
      return ext(c + "_" + id, c, ps,
          op("multiply", op("subtract", op("add", ps.get(0), ps.get(1)), ps.get(2)), ps.get(3)));
    };
    Var ex = v("x", 10, 10);
    List<Var> ew = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ew.add(v("w" + i, 10, 10));
    }
    List<Var> eparams = new java.util.ArrayList<>(List.of(ex));
    eparams.addAll(ew);
    var body = op("concatenate", axis0, tuple(call(c + "_0", ex, ew.get(0), ew.get(1), ew.get(2)),
        call(c + "_4", ex, ew.get(3), ew.get(4), ew.get(5)), op("subtract", op("add", ex, ew.get(6)), ew.get(7))));
    G.assertModEq(mod(fn(eparams, body), c + "_0", fnOf.apply(0), c + "_4", fnOf.apply(4)), result);
    assertEquals(List.of(c + "_4_i0", c + "_4_i1", c + "_4_i2", c + "_4_i3"), G.paramNames(result.get(c + "_4")));
    G.assertSameResults(before, result);
  }
}
