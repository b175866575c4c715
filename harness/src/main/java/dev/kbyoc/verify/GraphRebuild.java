package dev.kbyoc.verify;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds a case's {@code @main} as fresh, untyped nodes with substitutions, re-infers types and
 * drops parameters that are no longer used. A substitution maps an original node either to
 * another original node (its rebuilt copy is used: "bypass") or to a fresh leaf (a new
 * {@link Var} or {@link Constant}: "replace by input/constant"). Returns null when the result is
 * ill-typed, so shrink candidates that break shape rules are simply skipped.
 */
final class GraphRebuild {
  private GraphRebuild() {}

  /**
   * @param root the original node that becomes the new body (usually the old body)
   * @param subst original node to replacement
   * @param newValues values for fresh {@link Var}s and replaced weights, by name
   */
  static GraphCase rebuild(GraphCase c, Expr root, Map<Expr, Expr> subst, Map<String, NDArray> newValues) {
    Function main = c.main();
    Set<Expr> originals = Collections.newSetFromMap(new IdentityHashMap<>());
    originals.addAll(PostOrder.of(main));
    Map<Expr, Expr> copy = new IdentityHashMap<>();
    boolean newTuple = !originals.contains(root) && root instanceof Tuple;
    for (Expr e : PostOrder.of(newTuple ? ((Tuple) root).fields() : List.of(root))) {
      Expr s = subst.get(e);
      if (s != null) {
        copy.put(e, originals.contains(s) ? copy.getOrDefault(s, s) : s);
        continue;
      }
      copy.put(e, fresh(e, copy));
    }
    Expr body;
    if (newTuple) {
      List<Expr> fs = new ArrayList<>();
      ((Tuple) root).fields().forEach(f -> fs.add(copy.get(f)));
      body = new Tuple(fs);
    } else {
      body = copy.get(root);
    }
    List<Var> params = new ArrayList<>();
    Set<Expr> live = Collections.newSetFromMap(new IdentityHashMap<>());
    live.addAll(PostOrder.of(body));
    for (Var p : main.params()) {
      Expr np = copy.get(p);
      if (np instanceof Var v && live.contains(v) && !params.contains(v)) {
        params.add(v);
      }
    }
    for (Expr e : PostOrder.of(body)) {
      if (e instanceof Var v && !params.contains(v)) {
        params.add(v);
      }
    }
    Map<String, NDArray> inputs = new LinkedHashMap<>();
    Map<String, NDArray> weights = new LinkedHashMap<>();
    for (Var v : params) {
      NDArray val = newValues.containsKey(v.name()) ? newValues.get(v.name())
          : c.inputs().containsKey(v.name()) ? c.inputs().get(v.name()) : c.params().get(v.name());
      if (val == null) {
        return null;
      }
      (c.params().containsKey(v.name()) ? weights : inputs).put(v.name(), val);
    }
    IRModule m = IRModule.fromMain(new Function(params, body, null, main.attrs(), main.span()));
    try {
      InferType.run(m);
    } catch (KbyocException | IllegalStateException | IllegalArgumentException e) {
      return null;
    }
    for (Var v : params) {
      NDArray val = inputs.containsKey(v.name()) ? inputs.get(v.name()) : weights.get(v.name());
      if (!val.type().equals(v.checkedType())) {
        return null;
      }
    }
    return c.withModule(m, weights, inputs);
  }

  /** A fresh copy of one node whose children are already copied. */
  private static Expr fresh(Expr e, Map<Expr, Expr> copy) {
    if (e instanceof Var v) {
      return new Var(v.name(), v.typeAnnotation(), v.span());
    }
    if (e instanceof Constant k) {
      return new Constant(k.data(), k.span());
    }
    if (e instanceof Call call) {
      List<Expr> args = new ArrayList<>();
      for (Expr a : call.args()) {
        args.add(copy.get(a));
      }
      Expr op = call.op() instanceof Op || call.op() instanceof GlobalVar ? call.op() : copy.get(call.op());
      return new Call(op, args, call.attrs(), call.span());
    }
    if (e instanceof Tuple t) {
      List<Expr> fs = new ArrayList<>();
      for (Expr f : t.fields()) {
        fs.add(copy.get(f));
      }
      return new Tuple(fs, t.span());
    }
    if (e instanceof TupleGetItem g) {
      Expr tup = copy.get(g.tuple());
      if (tup instanceof Tuple t && g.index() < t.fields().size()) {
        return t.fields().get(g.index());
      }
      return new TupleGetItem(tup, g.index(), g.span());
    }
    return e;
  }
}
