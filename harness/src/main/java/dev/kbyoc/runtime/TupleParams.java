package dev.kbyoc.runtime;

import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.ExprMutator;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleType;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Var;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flattens tuple-typed parameters of a module function into one tensor parameter per field (nested
 * tuples depth-first), rebuilding the tuple inside the body. The graph executor passes a tuple
 * argument of an external call as its flattened fields (as TVM's graph executor codegen does), so
 * after this a module function's parameters line up with its graph inputs one to one. A region
 * whose input is a tuple (e.g. an offloaded {@code concatenate} of host values) needs it.
 */
final class TupleParams {
  private TupleParams() {}

  /** {@code f} itself when no parameter is a tuple; otherwise the flattened equivalent. */
  static Function flatten(Function f) {
    if (f.params().stream().noneMatch(p -> p.checkedType() instanceof TupleType)) {
      return f;
    }
    List<Var> params = new ArrayList<>();
    Map<Var, Expr> replace = new IdentityHashMap<>();
    for (Var p : f.params()) {
      if (p.checkedType() instanceof TupleType) {
        replace.put(p, fields(p.name(), p.checkedType(), params));
      } else {
        params.add(p);
      }
    }
    Expr body = new ExprMutator() {
      @Override
      protected Expr rewriteVar(Var v) {
        return replace.getOrDefault(v, v);
      }
    }.mutate(f.body());
    return new Function(params, body, null, f.attrs(), f.span());
  }

  private static Expr fields(String name, Type t, List<Var> params) {
    if (t instanceof TupleType tt) {
      List<Expr> fs = new ArrayList<>();
      for (int i = 0; i < tt.fields().size(); i++) {
        fs.add(fields(name + "_" + i, tt.fields().get(i), params));
      }
      return new Tuple(fs);
    }
    Var v = new Var(name, (TensorType) t);
    params.add(v);
    return v;
  }
}
