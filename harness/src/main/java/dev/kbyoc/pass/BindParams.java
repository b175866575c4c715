package dev.kbyoc.pass;

import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.ExprMutator;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * TVM's {@code bind_params_by_name}: replaces parameters of {@code main} by constants, by name,
 * and drops them from the parameter list.
 *
 * <p><b>Input:</b> a module with {@code main} and a map from parameter name to tensor.
 * <b>Output:</b> {@code main} with those parameters bound (other functions unchanged).
 * <b>Algorithm:</b> 1. index main's parameters by name; 2. for each given name: no such
 * parameter is ignored, as in TVM (callers report {@link #unknownNames}); a name held by two
 * parameters is an error naming it (TVM: "Multiple args in the function have name"); a tensor
 * whose shape or dtype differs from the parameter's annotation is an error naming both (TVM
 * would only fail later, in type inference); 3. substitute and drop the bound parameters.
 * <b>Runs before:</b> {@link AnnotateTarget}, so weights become constants that stay inside the
 * regions that use them.
 */
public final class BindParams {
  public static final String NAME = "BindParams";

  private BindParams() {}

  public static Pass create(Map<String, NDArray> params) {
    Map<String, NDArray> p = Map.copyOf(params);
    return Pass.module(NAME, m -> run(m, p));
  }

  /** Binds into {@code main}. */
  public static IRModule run(IRModule module, Map<String, NDArray> params) {
    return module.with(IRModule.MAIN, bind(module.main(), params));
  }

  /** The given names that match no parameter of {@code f}, sorted (the CLI warns about them). */
  public static List<String> unknownNames(Function f, java.util.Collection<String> names) {
    java.util.Set<String> have = new java.util.HashSet<>();
    for (Var v : f.params()) {
      have.add(v.name());
    }
    TreeSet<String> unknown = new TreeSet<>();
    for (String n : names) {
      if (!have.contains(n)) {
        unknown.add(n);
      }
    }
    return new ArrayList<>(unknown);
  }

  /** Binds parameters of one function by name. */
  public static Function bind(Function f, Map<String, NDArray> params) {
    Map<String, Var> byName = new HashMap<>();
    java.util.Set<String> repeated = new java.util.HashSet<>();
    for (Var v : f.params()) {
      if (byName.putIfAbsent(v.name(), v) != null) {
        repeated.add(v.name());
      }
    }
    Map<Var, Constant> bind = new IdentityHashMap<>();
    for (String name : new TreeSet<>(params.keySet())) {
      Var v = byName.get(name);
      if (v == null) {
        continue;
      }
      if (repeated.contains(name)) {
        throw new KbyocException("multiple parameters of " + f.describe() + " are named %" + name
            + "; cannot bind a param by that name");
      }
      NDArray data = params.get(name);
      if (v.typeAnnotation() instanceof TensorType want && !want.equals(data.type())) {
        throw new KbyocException("param %" + name + " has type " + data.type() + " but the model declares "
            + want.toRelay());
      }
      if (v.typeAnnotation() != null && !(v.typeAnnotation() instanceof TensorType)) {
        throw new KbyocException("param %" + name + " is declared " + v.typeAnnotation() + ", not a tensor");
      }
      bind.put(v, new Constant(data, v.span()));
    }
    if (bind.isEmpty()) {
      return f;
    }
    List<Var> kept = new ArrayList<>();
    for (Var v : f.params()) {
      if (!bind.containsKey(v)) {
        kept.add(v);
      }
    }
    Expr body = new ExprMutator() {
      @Override
      protected Expr rewriteVar(Var var) {
        Constant c = bind.get(var);
        return c != null ? c : var;
      }
    }.mutate(f.body());
    return new Function(kept, body, f.retType(), f.attrs(), f.span());
  }
}
