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
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Var;
import dev.kbyoc.op.Target;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ports of TVM's tests/python/relay/test_pass_partition_graph.py (v0.7) within our op set. */
class PartitionGraphTest {
  static final String UNARY = "abs";
  static final String HOST_UNARY = "tanh";

  /** AnnotateTarget + MergeCompilerRegions + PartitionGraph, each followed by InferType. */
  static IRModule pipeline(IRModule m, Target... targets) {
    IRModule a = AnnotateTarget.run(m, List.of(targets));
    IRModule b = InferType.run(MergeCompilerRegions.run(a));
    return PartitionGraph.run(b);
  }

  /**
   * test_mixed_single_multiple_outputs: region 0 has two outputs (a tuple and TupleGetItems at
   * the call site, in the order the outputs are met), region 1 has two inputs.
   */
  @Test
  void mixedSingleMultipleOutputs() {
    Var data = v("data", 10, 10);
    var o1 = op(UNARY, cb(data, "test_target"));
    var ce2 = ce(o1, "test_target");
    var o2 = op("nn.relu", o1);
    var ce3 = ce(o2, "test_target");
    var x = op(HOST_UNARY, ce2);
    var o3 = op("add", cb(ce3, "test_target"), cb(x, "test_target"));
    IRModule before = mod(fn(List.of(data), ce(o3, "test_target")));

    Var f1i = v("test_target_0_i0", 10, 10);
    var f1o1 = op(UNARY, f1i);
    var f1 = ext("test_target_0", "test_target", List.of(f1i), tuple(op("nn.relu", f1o1), f1o1));
    Var f2a = v("test_target_1_i0", 10, 10);
    Var f2b = v("test_target_1_i1", 10, 10);
    var f2 = ext("test_target_1", "test_target", List.of(f2a, f2b), op("add", f2a, f2b));
    Var edata = v("data", 10, 10);
    var out = call("test_target_0", edata);
    var ex = op(HOST_UNARY, get(out, 1));
    IRModule expected = mod(fn(List.of(edata), call("test_target_1", get(out, 0), ex)),
        "test_target_0", f1, "test_target_1", f2);

    IRModule result = PartitionGraph.run(before);
    G.assertModEq(expected, result);
    assertEquals(List.of("test_target_0_i0"), G.paramNames(result.get("test_target_0")));
    assertEquals(List.of("test_target_1_i0", "test_target_1_i1"), G.paramNames(result.get("test_target_1")));
    G.assertNoAnnotations(result);
    G.assertSameResults(before, result);
  }

  /**
   * test_function_lifting's numbering: every compiler_begin opens a region ID, so the second
   * region (two inputs of the first took IDs 0 and 1) is {@code _2}: names have gaps.
   */
  @Test
  void regionIdsHaveGaps() {
    Var x = v("x", 4);
    Var y = v("y", 4);
    Var z = v("z", 4);
    IRModule before = mod(fn(List.of(x, y, z), op("add", op(HOST_UNARY, op("add", x, y)), z)));
    IRModule result = pipeline(before, Target.ofOps("test", List.of("add")));

    Var a0 = v("test_0_i0", 4);
    Var a1 = v("test_0_i1", 4);
    Var b0 = v("test_2_i0", 4);
    Var b1 = v("test_2_i1", 4);
    Var ex = v("x", 4);
    Var ey = v("y", 4);
    Var ez = v("z", 4);
    IRModule expected = mod(
        fn(List.of(ex, ey, ez), call("test_2", op(HOST_UNARY, call("test_0", ex, ey)), ez)),
        "test_0", ext("test_0", "test", List.of(a0, a1), op("add", a0, a1)),
        "test_2", ext("test_2", "test", List.of(b0, b1), op("add", b0, b1)));
    G.assertModEq(expected, result);
    assertEquals(List.of("test_0_i0", "test_0_i1"), G.paramNames(result.get("test_0")));
    assertEquals(List.of("test_2_i0", "test_2_i1"), G.paramNames(result.get("test_2")));
    G.assertSameResults(before, result);
  }

  /**
   * test_constant_propagation: a constant bound by bind_params_by_name stays inside the region;
   * the function keeps TVM's input index in the remaining parameter's name.
   */
  @Test
  void constantPropagation() {
    float[] ones = new float[64];
    Arrays.fill(ones, 1f);
    NDArray onesArr = NDArray.of(ones, 8, 8);
    Var x = v("x", 8, 8);
    Var y = v("y", 8, 8);
    IRModule before = mod(fn(List.of(x, y), op("log", op("add", x, y))));
    IRModule bound = BindParams.run(before, Map.of("x", onesArr));
    assertEquals(List.of("y"), G.paramNames(bound.main()));
    IRModule result = pipeline(bound, Target.ofOps("ccompiler", List.of("add")));

    Var y0 = v("ccompiler_0_i1", 8, 8);
    var f = ext("ccompiler_0", "ccompiler", List.of(y0), op("add", new Constant(onesArr), y0));
    Var ey = v("y", 8, 8);
    IRModule expected = mod(fn(List.of(ey), op("log", call("ccompiler_0", ey))), "ccompiler_0", f);
    G.assertModEq(expected, result);
    assertEquals(List.of("ccompiler_0_i1"), G.paramNames(result.get("ccompiler_0")));
    G.assertSameResults(bound, result);
  }

  /**
   * test_extern_dnnl (WholeGraphAnnotator): begins on the vars, one end at the output; a var
   * used twice in a region is one parameter.
   */
  @Test
  void wholeGraphRegionDeduplicatesInputs() {
    Var data = v("data", 2, 3);
    Var w = v("weight1", 2, 3);
    var c1 = op("add", cb(data, "dnnl"), cb(w, "dnnl"));
    var c2 = op("add", c1, cb(w, "dnnl"));
    IRModule before = mod(fn(List.of(data, w), ce(op("add", c1, c2), "dnnl")));

    Var d0 = v("dnnl_0_i0", 2, 3);
    Var w0 = v("dnnl_0_i1", 2, 3);
    var e1 = op("add", d0, w0);
    var f = ext("dnnl_0", "dnnl", List.of(d0, w0), op("add", e1, op("add", e1, w0)));
    Var ed = v("data", 2, 3);
    Var ew = v("weight1", 2, 3);
    IRModule expected = mod(fn(List.of(ed, ew), call("dnnl_0", ed, ew)), "dnnl_0", f);
    IRModule result = PartitionGraph.run(before);
    G.assertModEq(expected, result);
    assertEquals(List.of("dnnl_0_i0", "dnnl_0_i1"), G.paramNames(result.get("dnnl_0")));
    G.assertSameResults(before, result);
  }

  /** test_duplicate_outputs: one output used by three host ops is one function result. */
  @Test
  void duplicateOutputs() {
    Var data = v("data", 10, 10);
    var x = op("add", data, data);
    IRModule before = mod(fn(List.of(data),
        tuple(op(HOST_UNARY, x), op(HOST_UNARY, x), op(HOST_UNARY, x))));
    IRModule result = pipeline(before, Target.ofOps("test_duplicate_outputs", List.of("add")));

    Var i0 = v("test_duplicate_outputs_0_i0", 10, 10);
    var f = ext("test_duplicate_outputs_0", "test_duplicate_outputs", List.of(i0), op("add", i0, i0));
    Var ed = v("data", 10, 10);
    var out = call("test_duplicate_outputs_0", ed);
    IRModule expected = mod(fn(List.of(ed), tuple(op(HOST_UNARY, out), op(HOST_UNARY, out), op(HOST_UNARY, out))),
        "test_duplicate_outputs_0", f);
    G.assertModEq(expected, result);
    assertEquals(1, G.paramNames(result.get("test_duplicate_outputs_0")).size());
    G.assertSameResults(before, result);
  }

  /** test_tuple_output_exec: compiler_end on a tuple is flattened into one output per field. */
  @Test
  void tupleOutput() {
    Var a = v("a", 10, 10);
    Var b = v("b", 10, 10);
    var ba = cb(a, "ccompiler");
    var bb = cb(b, "ccompiler");
    IRModule before = mod(fn(List.of(a, b), ce(tuple(op("add", ba, bb), op("add", op("nn.relu", ba), bb)), "ccompiler")));
    IRModule result = PartitionGraph.run(before);

    Var p0 = v("ccompiler_0_i0", 10, 10);
    Var p1 = v("ccompiler_0_i1", 10, 10);
    var f = ext("ccompiler_0", "ccompiler", List.of(p0, p1),
        tuple(op("add", p0, p1), op("add", op("nn.relu", p0), p1)));
    Var ea = v("a", 10, 10);
    Var eb = v("b", 10, 10);
    var c = call("ccompiler_0", ea, eb);
    G.assertModEq(mod(fn(List.of(ea, eb), tuple(get(c, 0), get(c, 1))), "ccompiler_0", f), result);
    G.assertSameResults(before, result);
  }

  /**
   * Diamond: the supported fan-out merges, the join cannot (it would close a cycle). Default
   * annotations are removed before the partitioner numbers regions, so the join is {@code test_2}.
   */
  @Test
  void diamondEndToEnd() {
    Var data = v("data", 10, 10);
    var o1 = op("add", data, data);
    var o2 = op("add", o1, o1);
    var x = op(HOST_UNARY, o1);
    IRModule before = mod(fn(List.of(data), op("add", o2, x)));
    IRModule result = pipeline(before, Target.ofOps("test", List.of("add")));

    Var i0 = v("test_0_i0", 10, 10);
    var f0o1 = op("add", i0, i0);
    var f0 = ext("test_0", "test", List.of(i0), tuple(op("add", f0o1, f0o1), f0o1));
    Var j0 = v("test_2_i0", 10, 10);
    Var j1 = v("test_2_i1", 10, 10);
    var f2 = ext("test_2", "test", List.of(j0, j1), op("add", j0, j1));
    Var ed = v("data", 10, 10);
    var c0 = call("test_0", ed);
    IRModule expected = mod(fn(List.of(ed), call("test_2", get(c0, 0), op(HOST_UNARY, get(c0, 1)))),
        "test_0", f0, "test_2", f2);
    G.assertModEq(expected, result);
    assertEquals(List.of("test_2_i0", "test_2_i1"), G.paramNames(result.get("test_2")));
    G.assertSameResults(before, result);
  }

  @Test
  void partitioningTwiceIsAUserError() {
    Var x = v("x", 4);
    IRModule once = pipeline(mod(fn(List.of(x), op("add", x, x))), Target.ofOps("t", List.of("add")));
    IRModule again = AnnotateTarget.run(mod(fn(List.of(v("y", 4)), op("add", v("z", 4), v("z", 4)))),
        List.of(Target.ofOps("t", List.of("add"))));
    IRModule clash = IRModule.of(Map.of("main", again.main(), "t_0", once.get("t_0")));
    assertThrows(KbyocException.class, () -> PartitionGraph.run(clash));
  }
}
