package dev.kbyoc.runtime;

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
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.TupleValue;
import dev.kbyoc.ir.Value;
import dev.kbyoc.ir.Var;
import dev.kbyoc.op.OpDef;
import dev.kbyoc.pass.InferType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference interpreter: evaluates a well-typed module with each op's reference kernel. It is
 * the oracle for every other engine, so it is deliberately simple: a post-order walk of the
 * function body with one value per node (shared nodes are computed once), global and literal
 * function calls evaluated by the same walk on their own bodies.
 */
public final class Interpreter {
  private final IRModule module;

  public Interpreter(IRModule module) {
    this.module = InferType.run(module);
  }

  /** Evaluates {@code @main} with inputs bound by parameter name; every parameter must be given. */
  public Value run(Map<String, NDArray> inputs) {
    Function main = module.main();
    List<Value> args = new ArrayList<>();
    for (Var p : main.params()) {
      NDArray a = inputs.get(p.name());
      if (a == null) {
        throw new KbyocException("no value given for input %" + p.name() + " of @main");
      }
      TensorType want = (TensorType) p.checkedType();
      if (!a.type().equals(want)) {
        throw new KbyocException("input %" + p.name() + " has type " + a.type() + ", expected " + want);
      }
      args.add(a);
    }
    return call(main, args);
  }

  /** Evaluates {@code @main} and flattens the result into a list of tensors (tuple fields in order). */
  public List<NDArray> runFlat(Map<String, NDArray> inputs) {
    List<NDArray> out = new ArrayList<>();
    flatten(run(inputs), out);
    return out;
  }

  /** Appends the tensors of a (possibly nested) value in order. */
  public static void flatten(Value v, List<NDArray> out) {
    if (v instanceof NDArray a) {
      out.add(a);
    } else {
      for (Value f : ((TupleValue) v).fields()) {
        flatten(f, out);
      }
    }
  }

  /** Evaluates a function on argument values. */
  public Value call(Function f, List<Value> args) {
    Map<Expr, Value> env = new IdentityHashMap<>();
    for (int i = 0; i < f.params().size(); i++) {
      env.put(f.params().get(i), args.get(i));
    }
    for (Expr e : PostOrder.dataflow(f.body())) {
      if (env.containsKey(e) || e instanceof Op || e instanceof GlobalVar || e instanceof Function) {
        continue;
      }
      env.put(e, eval(e, env));
    }
    return env.get(f.body());
  }

  private Value eval(Expr e, Map<Expr, Value> env) {
    if (e instanceof Constant c) {
      return c.data();
    }
    if (e instanceof Var v) {
      throw new KbyocException("free variable %" + v.name() + " has no value");
    }
    if (e instanceof Tuple t) {
      List<Value> fs = new ArrayList<>();
      for (Expr x : t.fields()) {
        fs.add(env.get(x));
      }
      return new TupleValue(fs);
    }
    if (e instanceof TupleGetItem g) {
      return ((TupleValue) env.get(g.tuple())).get(g.index());
    }
    Call c = (Call) e;
    List<Value> args = new ArrayList<>();
    for (Expr a : c.args()) {
      args.add(env.get(a));
    }
    if (c.op() instanceof Op op) {
      Value out = OpDef.of(op).kernel().compute(args, c.fullAttrs(), c.checkedType());
      checkType(c, out);
      return out;
    }
    Function callee = c.op() instanceof GlobalVar g ? module.get(g.name()) : (Function) c.op();
    return call(callee, args);
  }

  private static void checkType(Call c, Value out) {
    if (out instanceof NDArray a && c.checkedType() instanceof TensorType t && !a.type().equals(t)) {
      throw new IllegalStateException("kernel of " + c.describe() + " returned " + a.type() + " but its type is " + t
          + " (shape " + Arrays.toString(a.shape()) + ")");
    }
  }
}
