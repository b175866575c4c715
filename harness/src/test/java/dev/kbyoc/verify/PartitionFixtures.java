package dev.kbyoc.verify;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.Span;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-written graph {@code %0 = add(x, c); %1 = relu(%0); %2 = add(%1, %0)} and hand-written
 * partitions of it for target {@code t} (which supports {@code add} only), correct and faulty.
 */
final class PartitionFixtures {
  static final String T = "t";
  static final SupportRule ADD_ONLY = (target, call) -> target.equals(T) && call.isOp("add");
  static final TensorType TY = TensorType.f32(1, 4);
  static final NDArray C = NDArray.of(new float[] {1, -2, 3, 0.5f}, 1, 4);
  static final NDArray X = NDArray.of(new float[] {-1, 2, -3, 4}, 1, 4);

  final Var x = new Var("x", TY);
  final Constant c = new Constant(C);
  final Call a0 = call("add", 0, x, c);
  final Call r1 = call("nn.relu", 1, a0);
  final Call a2 = call("add", 2, r1, a0);
  final IRModule original = InferType.run(IRModule.fromMain(new Function(List.of(x), a2)));

  static Call call(String op, int i, Expr... args) {
    return new Call(Op.get(op), List.of(args), Attrs.empty(), Span.at("f", i + 1, 3).withBinding("%" + i));
  }

  static Function external(String name, List<Var> params, Expr body) {
    return new Function(params, body, null, Attrs.of(Function.ATTR_COMPILER, T, Function.ATTR_GLOBAL_SYMBOL, name,
        Function.ATTR_PRIMITIVE, 1L, Function.ATTR_INLINE, 1L), Span.NONE);
  }

  static IRModule module(Function main, Map<String, Function> externals) {
    Map<String, Function> m = new LinkedHashMap<>();
    m.put(IRModule.MAIN, main);
    m.putAll(externals);
    return InferType.run(IRModule.of(m));
  }

  /** t_0 = add(p, c); relu on host; t_1 = add(q, r). */
  IRModule correct() {
    Var p = new Var("t_0_i0", TY);
    Function t0 = external("t_0", List.of(p), call("add", 0, p, new Constant(C)));
    Var q = new Var("t_1_i0", TY);
    Var r = new Var("t_1_i1", TY);
    Function t1 = external("t_1", List.of(q, r), call("add", 2, q, r));
    Var mx = new Var("x", TY);
    Call y0 = new Call(new GlobalVar("t_0"), List.of(mx), Attrs.empty());
    Call y1 = call("nn.relu", 1, y0);
    Call y2 = new Call(new GlobalVar("t_1"), List.of(y1, y0), Attrs.empty());
    return module(new Function(List.of(mx), y2), Map.of("t_0", t0, "t_1", t1));
  }

  /** Both adds in one region t_0: contracted, t_0 -> relu -> t_0 is a cycle (the merge restriction). */
  IRModule cyclic() {
    Var p = new Var("t_0_i0", TY);
    Var q = new Var("t_0_i1", TY);
    Call inner0 = call("add", 0, p, new Constant(C));
    Function t0 = external("t_0", List.of(p, q), new dev.kbyoc.ir.Tuple(List.of(inner0, call("add", 2, q, inner0))));
    Var mx = new Var("x", TY);
    Call relu = call("nn.relu", 1, mx);
    Call y = new Call(new GlobalVar("t_0"), List.of(mx, relu), Attrs.empty());
    return module(new Function(List.of(mx), new dev.kbyoc.ir.TupleGetItem(y, 1)), Map.of("t_0", t0));
  }
}
