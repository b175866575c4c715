package dev.kbyoc.verify;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.Var;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Shrink candidates for a graph case, most aggressive first: keep one output, drop one output,
 * replace a node (and the subgraph only it needed) by a new input, bypass a node by an argument
 * of the same type, replace a node by a constant, halve a dimension across all leaves, and
 * simplify weight and input values. Candidates are built lazily; ill-typed ones are null and
 * skipped by the {@link Reducer}.
 */
public final class GraphShrinker implements Shrinker<GraphCase> {
  /**
   * Size measure: op count dominates, then leaf elements, then distinct leaf values, so every
   * accepted step removes ops, shrinks tensors or simplifies values.
   */
  @Override
  public long size(GraphCase c) {
    return ((long) c.opCount() << 40) + (Math.min(c.elementCount(), 1L << 23) << 16)
        + Math.min(LeafValues.distinct(c), 65535);
  }

  @Override
  public Iterable<GraphCase> candidates(GraphCase c) {
    List<Supplier<GraphCase>> out = new ArrayList<>();
    Expr body = c.main().body();
    if (body instanceof Tuple t && t.fields().size() > 1) {
      for (Expr f : t.fields()) {
        out.add(() -> GraphRebuild.rebuild(c, f, Map.of(), Map.of()));
      }
      for (int i = 0; i < t.fields().size(); i++) {
        List<Expr> fs = new ArrayList<>(t.fields());
        fs.remove(i);
        out.add(() -> GraphRebuild.rebuild(c, new Tuple(fs), Map.of(), Map.of()));
      }
    }
    List<Expr> order = PostOrder.of(body);
    List<Call> calls = new ArrayList<>();
    for (int i = order.size() - 1; i >= 0; i--) {
      if (order.get(i) instanceof Call call && call.op() instanceof Op) {
        calls.add(call);
      }
    }
    for (Call call : calls) {
      if (call.checkedType() instanceof TensorType tt) {
        out.add(() -> replace(c, call, new Var("r" + (int) (Math.abs(call.span().line())), tt), tt));
      }
    }
    for (Call call : calls) {
      Set<Expr> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      for (Expr a : call.args()) {
        if (seen.add(a) && a.checkedType() != null && a.checkedType().equals(call.checkedType())) {
          out.add(() -> GraphRebuild.rebuild(c, body, Map.of(call, a), Map.of()));
        }
      }
    }
    for (Call call : calls) {
      if (call.checkedType() instanceof TensorType tt) {
        out.add(() -> replace(c, call, null, tt));
      }
    }
    for (int d : dims(c)) {
      out.add(() -> LeafValues.shrinkDim(c, d));
    }
    out.add(() -> LeafValues.simplify(c, 0.0));
    out.add(() -> LeafValues.simplify(c, 1.0));
    out.add(() -> LeafValues.quantize(c));
    return () -> new Iterator<>() {
      private int i;

      @Override
      public boolean hasNext() {
        return i < out.size();
      }

      @Override
      public GraphCase next() {
        return out.get(i++).get();
      }
    };
  }

  /** Replaces {@code node} by a fresh input {@code var}, or by a constant when var is null. */
  private static GraphCase replace(GraphCase c, Expr node, Var var, TensorType tt) {
    NDArray val = LeafValues.pattern(tt);
    if (var == null) {
      return GraphRebuild.rebuild(c, c.main().body(), Map.of(node, new Constant(val)), Map.of());
    }
    String name = var.name();
    while (c.inputs().containsKey(name) || c.params().containsKey(name)) {
      name = name + "_";
    }
    Var v = new Var(name, tt);
    return GraphRebuild.rebuild(c, c.main().body(), Map.of(node, v), Map.of(name, val));
  }

  /** Distinct dimension sizes > 1 of leaves, largest first. */
  private static List<Integer> dims(GraphCase c) {
    Set<Integer> ds = new HashSet<>();
    for (Expr e : PostOrder.of(c.main())) {
      if ((e instanceof Var || e instanceof Constant) && e.checkedType() instanceof TensorType t) {
        for (int d : t.shape()) {
          if (d > 1) {
            ds.add(d);
          }
        }
      }
    }
    List<Integer> l = new ArrayList<>(ds);
    l.sort(java.util.Comparator.reverseOrder());
    return l;
  }
}
