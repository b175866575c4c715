package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import dev.kbyoc.kendryte.codegen.RegionNode.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a typed Kendryte function into its {@link RegionGraph}: a DAG with one input and one or
 * more outputs (the body or the fields of a body Tuple), whose nodes are KPU conv groups and
 * kmodel CPU operations. Algorithm: 1. reject a function with other than one parameter (a kmodel
 * has one input, {@code kpu_run_kmodel}); 2. count each expression's consumers; 3. from every
 * output, match nodes bottom-up: a pool, an activation and per-channel affine ops are fused into
 * the conv2d below them ({@link ConvGroupMatcher}) as long as each fused intermediate has exactly
 * one consumer (a tensor read twice must exist on its own); an activation on a tensor add or a
 * dense is fused into it; a fused chain without a conv2d becomes an identity KPU layer; concat,
 * resize, global average pool, batch_flatten and softmax are nodes of their own; 4. every op must
 * pass {@link dev.kbyoc.kendryte.KendryteRules}. Any other structure is a one-line
 * {@link KbyocException} naming the node, the reason {@code partition --explain} prints.
 */
final class RegionGraphMatcher {
  private final Var param;
  private final String fnName;
  private final Map<Expr, Integer> uses = new IdentityHashMap<>();
  private final Map<Expr, RegionNode> memo = new IdentityHashMap<>();
  private final List<RegionNode> nodes = new ArrayList<>();

  private RegionGraphMatcher(Var param, String fnName) {
    this.param = param;
    this.fnName = fnName;
  }

  static RegionGraph match(Function fn, String fnName) {
    if (fn.params().size() != 1) {
      throw new KbyocException("kendryte codegen: " + fnName + " has " + fn.params().size()
          + " inputs; a kmodel takes exactly one (kpu_run_kmodel)");
    }
    RegionGraphMatcher m = new RegionGraphMatcher(fn.params().get(0), fnName);
    for (Expr e : PostOrder.of(fn.body())) {
      for (Expr c : PostOrder.children(e)) {
        m.uses.merge(c, 1, Integer::sum);
      }
    }
    List<Expr> outs = fn.body() instanceof Tuple t ? t.fields() : List.of(fn.body());
    List<RegionNode> outputs = new ArrayList<>();
    for (Expr o : outs) {
      if (o == m.param) {
        throw new KbyocException("kendryte codegen: " + fnName + " returns its input unchanged");
      }
      m.uses.merge(o, 1, Integer::sum);
    }
    for (Expr o : outs) {
      outputs.add(m.node(o));
    }
    if (m.nodes.stream().noneMatch(n -> n.kind() == Kind.INPUT)) {
      throw new KbyocException("kendryte codegen: " + fnName + " does not read its input");
    }
    if (m.nodes.stream().noneMatch(n -> n.kind() != Kind.INPUT && n.kind() != Kind.FLATTEN)) {
      throw new KbyocException("kendryte codegen: " + fnName + " has no operation to offload");
    }
    return new RegionGraph(List.copyOf(m.nodes), outputs);
  }

  private boolean fusable(Expr e, Expr top) {
    return e == top || e != param && uses.getOrDefault(e, 0) == 1;
  }

  private RegionNode add(Kind kind, List<RegionNode> in, Expr e, ConvGroup g, int act, float[] w, float[] b) {
    int[] s = e.tensorType().shape();
    RegionNode n = new RegionNode(nodes.size(), kind, in, Arrays.copyOfRange(s, 1, s.length),
        ConvGroupMatcher.describe(e), g, act, w, b);
    nodes.add(n);
    memo.put(e, n);
    return n;
  }

  private RegionNode node(Expr top) {
    RegionNode done = memo.get(top);
    if (done != null) {
      return done;
    }
    if (top == param) {
      RegionNode n = new RegionNode(nodes.size(), Kind.INPUT, List.of(), Arrays.copyOfRange(param.tensorType().shape(),
          1, param.tensorType().rank()), param.name(), null, 0, null, null);
      nodes.add(n);
      memo.put(top, n);
      return n;
    }
    Expr e = top;
    Call pool = null;
    if (e instanceof Call c && (c.isOp("nn.max_pool2d") || c.isOp("nn.avg_pool2d"))) {
      pool = ConvGroupMatcher.checked(c);
      e = c.arg(0);
    }
    int act = 0;
    if (fusable(e, top) && e instanceof Call c && (c.isOp("nn.relu") || c.isOp("clip"))) {
      ConvGroupMatcher.checked(c);
      act = c.isOp("nn.relu") ? 1 : 2;
      e = c.arg(0);
    }
    List<double[][]> affine = new ArrayList<>();
    while (fusable(e, top)) {
      double[][] a = ConvGroupMatcher.affine(e);
      if (a == null) {
        break;
      }
      if (e instanceof Call c) {
        ConvGroupMatcher.checked(c);
      }
      affine.add(a);
      e = e instanceof TupleGetItem t ? ((Call) t.tuple()).arg(0) : ((Call) e).arg(0);
    }
    if (fusable(e, top) && e instanceof Call conv && conv.isOp("nn.conv2d")) {
      ConvGroupMatcher.checked(conv);
      if (!(conv.arg(1) instanceof Constant wc)) {
        throw new KbyocException("kendryte codegen: " + fnName + ": " + conv.describe()
            + " weights are not a constant (bind the params first)");
      }
      ConvGroup g = ConvGroupMatcher.group(conv, wc.data(), affine, act, pool, fnName);
      return add(Kind.CONV, List.of(node(conv.arg(0))), top, g, 0, null, null);
    }
    if (pool == null && affine.isEmpty() && fusable(e, top) && e instanceof Call c && c.isOp("add")) {
      ConvGroupMatcher.checked(c);
      return add(Kind.ADD, List.of(node(c.arg(0)), node(c.arg(1))), top, null, act, null, null);
    }
    if (pool == null && fusable(e, top) && e instanceof Call c && c.isOp("nn.dense")) {
      return dense(c, top, affine, act);
    }
    if (e != top) {
      ConvGroup g = ConvGroupMatcher.identity(e, affine, act, pool, ConvGroupMatcher.describe(top));
      return add(Kind.CONV, List.of(node(e)), top, g, 0, null, null);
    }
    return single(top);
  }

  /** A node that fuses nothing: concat, resize, global pool, flatten or softmax. */
  private RegionNode single(Expr top) {
    if (!(top instanceof Call c) || c.opOrNull() == null) {
      throw new KbyocException("kendryte codegen: " + fnName + ": " + ConvGroupMatcher.describe(top)
          + " is not an operator a kmodel layer computes");
    }
    Kind kind = switch (c.opOrNull().name()) {
      case "concatenate" -> Kind.CONCAT;
      case "image.resize2d" -> Kind.RESIZE;
      case "nn.global_avg_pool2d" -> Kind.GLOBAL_AVG_POOL;
      case "nn.batch_flatten" -> Kind.FLATTEN;
      case "nn.softmax" -> Kind.SOFTMAX;
      default -> throw new KbyocException("kendryte codegen: " + fnName + ": " + c.describe()
          + " is not part of a conv2d + bias/batch_norm + relu + pool group or a kmodel CPU layer");
    };
    ConvGroupMatcher.checked(c);
    List<RegionNode> in = new ArrayList<>();
    if (kind == Kind.CONCAT) {
      if (!(c.arg(0) instanceof Tuple t)) {
        throw new KbyocException("kendryte codegen: " + fnName + ": " + c.describe() + " does not take a literal tuple");
      }
      for (Expr f : t.fields()) {
        in.add(node(f));
      }
    } else {
      in.add(node(c.arg(0)));
    }
    return add(kind, in, top, null, 0, null, null);
  }

  private RegionNode dense(Call d, Expr top, List<double[][]> affine, int act) {
    ConvGroupMatcher.checked(d);
    if (!(d.arg(1) instanceof Constant wc)) {
      throw new KbyocException("kendryte codegen: " + fnName + ": " + d.describe()
          + " weights are not a constant (bind the params first)");
    }
    NDArray w = wc.data();
    int units = w.shape()[0];
    int in = w.shape()[1];
    double[][] sb = ConvGroupMatcher.fold(affine, units);
    float[] wf = new float[units * in];
    float[] bf = new float[units];
    for (int o = 0; o < units; o++) {
      for (int i = 0; i < in; i++) {
        wf[o * in + i] = (float) (w.getDouble(o * in + i) * sb[0][o]);
      }
      bf[o] = (float) sb[1][o];
    }
    return add(Kind.DENSE, List.of(node(d.arg(0))), top, null, act, wf, bf);
  }
}
