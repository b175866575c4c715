package dev.kbyoc.pass;

import static dev.kbyoc.pass.G.cb;
import static dev.kbyoc.pass.G.ce;
import static dev.kbyoc.pass.G.fn;
import static dev.kbyoc.pass.G.mod;
import static dev.kbyoc.pass.G.op;
import static dev.kbyoc.pass.G.v;

import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.Var;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ports of TVM's tests/python/relay/test_pass_merge_compiler_regions.py (v0.7). */
class MergeCompilerRegionsTest {
  static final String UNARY = "abs";
  static final String UNARY2 = "nn.relu";
  static final String HOST_UNARY = "tanh";
  static final String SUB = "subtract";

  /**
   * test_diamond_graph_fanouts: O1 feeds O2 (test) and X (default), both feed O3 (test). O1 and O2
   * merge; O3 cannot join them, or the region would both feed and consume X.
   */
  @Test
  void diamondGraphFanouts() {
    Var data = v("data", 10, 10);
    var o1 = op(UNARY, cb(data, "test"));
    var ce1 = ce(o1, "test");
    var ce2 = ce(o1, "test");
    var o2 = op(UNARY2, cb(ce1, "test"));
    var ce3 = ce(o2, "test");
    var x = op(HOST_UNARY, cb(ce2, "default"));
    var ce4 = ce(x, "default");
    var o3 = op("add", cb(ce3, "test"), cb(ce4, "test"));
    IRModule before = mod(fn(List.of(data), ce(o3, "test")));

    Var edata = v("data", 10, 10);
    var eo1 = op(UNARY, cb(edata, "test"));
    var ece2 = ce(eo1, "test");
    var eo2 = op(UNARY2, eo1);
    var ece3 = ce(eo2, "test");
    var ex = op(HOST_UNARY, cb(ece2, "default"));
    var ece4 = ce(ex, "default");
    var eo3 = op("add", cb(ece3, "test"), cb(ece4, "test"));
    IRModule expected = mod(fn(List.of(edata), ce(eo3, "test")));

    G.assertModEq(expected, MergeCompilerRegions.run(InferType.run(before)));
    G.assertSameResults(before, MergeCompilerRegions.run(before));
  }

  /**
   * test_example_graph: the example of the RFC "Improved graph partitioning algorithm" (adds on
   * target test, subtracts on default).
   */
  @Test
  void rfcExampleGraph() {
    List<Var> in = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      in.add(v("in_" + i, 10, 10));
    }
    var node0 = op("add", cb(in.get(0), "test"), cb(in.get(1), "test"));
    var node1 = op("add", cb(in.get(2), "test"), cb(in.get(3), "test"));
    var node2 = op("add", cb(ce(node0, "test"), "test"), cb(ce(node1, "test"), "test"));
    var end2 = ce(node2, "test");
    var node3 = op(SUB, cb(in.get(4), "default"), cb(in.get(5), "default"));
    var node4 = op(SUB, cb(in.get(6), "default"), cb(ce(node3, "default"), "default"));
    var dend2 = ce(node4, "default");
    var node5 = op("add", cb(end2, "test"), cb(dend2, "test"));
    var end3 = ce(node5, "test");
    var end4 = ce(node5, "test");
    var node6 = op(SUB, cb(in.get(7), "default"), cb(end3, "default"));
    var node7 = op("add", cb(in.get(8), "test"), cb(end4, "test"));
    var end5 = ce(node7, "test");
    var dend3 = ce(node6, "default");
    var node8 = op("add", cb(dend3, "test"), cb(end5, "test"));
    var node9 = op("add", cb(in.get(9), "test"), cb(ce(node8, "test"), "test"));
    IRModule before = mod(fn(in, ce(node9, "test")));

    List<Var> ein = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      ein.add(v("in_" + i, 10, 10));
    }
    var e0 = op("add", cb(ein.get(0), "test"), cb(ein.get(1), "test"));
    var e1 = op("add", cb(ein.get(2), "test"), cb(ein.get(3), "test"));
    var e2 = op("add", e0, e1);
    var e3 = op(SUB, cb(ein.get(4), "default"), cb(ein.get(5), "default"));
    var e4 = op(SUB, cb(ein.get(6), "default"), e3);
    var edend0 = ce(e4, "default");
    var e5 = op("add", e2, cb(edend0, "test"));
    var eend1 = ce(e5, "test");
    var e6 = op(SUB, cb(ein.get(7), "default"), cb(eend1, "default"));
    var edend1 = ce(e6, "default");
    var e7 = op("add", cb(ein.get(8), "test"), e5);
    var eend2 = ce(e7, "test");
    var e8 = op("add", cb(edend1, "test"), cb(eend2, "test"));
    Expr e9 = op("add", cb(ein.get(9), "test"), e8);
    IRModule expected = mod(fn(ein, ce(e9, "test")));

    G.assertModEq(expected, MergeCompilerRegions.run(InferType.run(before)));
    G.assertSameResults(before, MergeCompilerRegions.run(before));
  }
}
