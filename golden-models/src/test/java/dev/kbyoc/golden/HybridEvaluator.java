package dev.kbyoc.golden;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.TupleValue;
import dev.kbyoc.ir.Value;
import dev.kbyoc.ir.Var;
import dev.kbyoc.op.OpDef;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.Interpreter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a partitioned module's {@code @main} with host ops on their reference kernels and each
 * call of an external ({@code Compiler=...}) function handed to {@link External}; used to run the
 * golden models with their Kendryte regions on the simulator.
 */
final class HybridEvaluator {
  /** Runs one external function on argument values. */
  interface External {
    Value call(String symbol, Function fn, List<Value> args);
  }

  private HybridEvaluator() {}

  static List<NDArray> run(IRModule module, Map<String, NDArray> inputs, External ext) {
    InferType.run(module);
    Interpreter host = new Interpreter(module);
    Function main = module.main();
    Map<Expr, Value> env = new IdentityHashMap<>();
    for (Var p : main.params()) {
      env.put(p, inputs.get(p.name()));
    }
    for (Expr e : PostOrder.of(main.body())) {
      if (env.containsKey(e) || e instanceof Op || e instanceof GlobalVar || e instanceof Function) {
        continue;
      }
      env.put(e, eval(e, env, module, host, ext));
    }
    List<NDArray> out = new ArrayList<>();
    Interpreter.flatten(env.get(main.body()), out);
    return out;
  }

  private static Value eval(Expr e, Map<Expr, Value> env, IRModule module, Interpreter host, External ext) {
    if (e instanceof Constant c) {
      return c.data();
    }
    if (e instanceof Tuple t) {
      return new TupleValue(t.fields().stream().map(env::get).toList());
    }
    if (e instanceof TupleGetItem g) {
      return ((TupleValue) env.get(g.tuple())).get(g.index());
    }
    Call c = (Call) e;
    List<Value> args = c.args().stream().map(env::get).toList();
    if (c.op() instanceof Op op) {
      return OpDef.of(op).kernel().compute(args, c.fullAttrs(), c.checkedType());
    }
    Function fn = c.op() instanceof GlobalVar g ? module.get(g.name()) : (Function) c.op();
    if (fn.compiler() != null) {
      return ext.call(c.op() instanceof GlobalVar g ? g.name() : "fn", fn, args);
    }
    return host.call(fn, args);
  }
}
