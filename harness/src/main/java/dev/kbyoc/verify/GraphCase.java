package dev.kbyoc.verify;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Var;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One test case: a module whose {@code @main} takes inputs and weight parameters, the weight
 * values (to be bound by {@code bind_params_by_name}), the input values, and the seed and options
 * it came from (seed -1 for cases loaded from text).
 */
public record GraphCase(IRModule module, Map<String, NDArray> params, Map<String, NDArray> inputs, long seed,
    GenOptions options) {
  public GraphCase {
    params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
  }

  public Function main() {
    return module.main();
  }

  /** Number of op calls in {@code @main} (annotations included, tuples and projections not). */
  public int opCount() {
    int n = 0;
    for (Expr e : PostOrder.of(main())) {
      if (e instanceof Call c && c.op() instanceof Op) {
        n++;
      }
    }
    return n;
  }

  /** Elements in all inputs, weights and inline constants: the "data size" of the case. */
  public long elementCount() {
    long n = 0;
    for (NDArray a : params.values()) {
      n += a.size();
    }
    for (Var v : main().params()) {
      if (inputs.containsKey(v.name())) {
        n += inputs.get(v.name()).size();
      }
    }
    for (Expr e : PostOrder.of(main())) {
      if (e instanceof Constant c) {
        n += c.data().size();
      }
    }
    return n;
  }

  /** Values of every {@code @main} parameter: inputs and weights together, by name. */
  public Map<String, NDArray> allArgs() {
    Map<String, NDArray> m = new LinkedHashMap<>(inputs);
    m.putAll(params);
    return m;
  }

  public GraphCase withModule(IRModule m, Map<String, NDArray> newParams, Map<String, NDArray> newInputs) {
    return new GraphCase(m, newParams, newInputs, seed, options);
  }
}
