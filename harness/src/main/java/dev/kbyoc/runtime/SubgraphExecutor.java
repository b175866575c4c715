package dev.kbyoc.runtime;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.TupleValue;
import dev.kbyoc.ir.Value;
import dev.kbyoc.ir.Var;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Runs a decoded {@link Subgraph} with the {@link HostKernels}, flattening a tuple result. */
public final class SubgraphExecutor {
  private final Subgraph subgraph;
  private final List<Expr> order;
  private final String name;

  public SubgraphExecutor(Subgraph subgraph, String name) {
    this.subgraph = subgraph;
    this.order = PostOrder.of(subgraph.function().body());
    this.name = name;
  }

  /** The function this executor runs. */
  Subgraph subgraph() {
    return subgraph;
  }

  /** Evaluates on tensor inputs (checked against the params' types) and constants by reference name. */
  public List<NDArray> run(List<NDArray> inputs, Map<String, NDArray> constants) {
    List<Var> params = subgraph.function().params();
    if (inputs.size() != params.size()) {
      throw new KbyocException(name + " takes " + params.size() + " inputs, got " + inputs.size());
    }
    Map<Expr, Value> env = new IdentityHashMap<>();
    for (int i = 0; i < params.size(); i++) {
      bind(env, params.get(i), inputs.get(i), "input " + i);
    }
    for (Var c : subgraph.constRefs()) {
      NDArray v = constants.get(c.name());
      if (v == null) {
        throw new KbyocException(name + " needs constant \"" + c.name() + "\", which was not provided");
      }
      bind(env, c, v, "constant " + c.name());
    }
    for (Expr e : order) {
      if (env.containsKey(e) || e instanceof Op) {
        continue;
      }
      env.put(e, eval(e, env));
    }
    List<NDArray> out = new ArrayList<>();
    dev.kbyoc.runtime.Interpreter.flatten(env.get(subgraph.function().body()), out);
    return out;
  }

  private void bind(Map<Expr, Value> env, Var v, NDArray a, String what) {
    TensorType want = (TensorType) v.checkedType();
    if (!a.type().equals(want)) {
      throw new KbyocException(name + ": " + what + " has type " + a.type() + ", expected " + want);
    }
    env.put(v, a);
  }

  private Value eval(Expr e, Map<Expr, Value> env) {
    if (e instanceof Constant c) {
      return c.data();
    }
    if (e instanceof Tuple t) {
      List<Value> fs = new ArrayList<>();
      for (Expr f : t.fields()) {
        fs.add(env.get(f));
      }
      return new TupleValue(fs);
    }
    if (e instanceof TupleGetItem g) {
      return ((TupleValue) env.get(g.tuple())).get(g.index());
    }
    if (e instanceof Call c && c.op() instanceof Op op) {
      List<Value> args = new ArrayList<>();
      for (Expr a : c.args()) {
        args.add(env.get(a));
      }
      return HostKernels.get(op.name()).compute(args, c.fullAttrs(), c.checkedType());
    }
    throw new IllegalStateException(name + ": cannot evaluate " + e);
  }
}
