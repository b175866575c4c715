package dev.kbyoc.pass;

import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.ExprMap;
import dev.kbyoc.ir.ExprMutator;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import java.util.ArrayList;
import java.util.HashMap;
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

  /**
   * Why {@code data} cannot be bound to {@code v} (named {@code name}), or null. When several
   * names fail, the error names the first in sorted order (names are checked in any order, which
   * avoids sorting every name of a large model).
   */
  private static String problem(Function f, String name, Var v, NDArray data, java.util.Set<String> repeated) {
    if (repeated.contains(name)) {
      return "multiple parameters of " + f.describe() + " are named %" + name + "; cannot bind a param by that name";
    }
    if (v.typeAnnotation() instanceof TensorType want && !want.equals(data.type())) {
      return "param %" + name + " has type " + data.type() + " but the model declares " + want.toRelay();
    }
    if (v.typeAnnotation() != null && !(v.typeAnnotation() instanceof TensorType)) {
      return "param %" + name + " is declared " + v.typeAnnotation() + ", not a tensor";
    }
    return null;
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
    String firstBad = null;
    for (Map.Entry<String, Var> e : byName.entrySet()) {
      String name = e.getKey();
      if (params.containsKey(name) && problem(f, name, e.getValue(), params.get(name), repeated) != null
          && (firstBad == null || name.compareTo(firstBad) < 0)) {
        firstBad = name;
      }
    }
    if (firstBad != null) {
      throw new KbyocException(problem(f, firstBad, byName.get(firstBad), params.get(firstBad), repeated));
    }
    ExprMap<Constant> bind = new ExprMap<>(Math.min(params.size(), byName.size()));
    for (Var v : byName.values()) {
      NDArray data = params.get(v.name());
      if (data != null) {
        bind.put(v, new Constant(data, v.span()));
      }
    }
    if (bind.size() == 0) {
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
