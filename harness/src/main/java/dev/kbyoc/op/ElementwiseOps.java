package dev.kbyoc.op;

import dev.kbyoc.ir.AttrKind;
import dev.kbyoc.ir.AttrSpec;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Unary and binary (numpy-broadcasting) elementwise ops. Values are computed in double and stored
 * in the output dtype ({@link NDArray#setDouble}: float32 rounds, integers truncate then wrap).
 *
 * <p>Patterns as TVM v0.8 registers them: unary math ops, {@code clip}, {@code cast},
 * {@code nn.relu} and {@code nn.leaky_relu} are {@link OpPattern#ELEMWISE}; every binary op
 * (including {@code power}, {@code maximum}, {@code minimum}) is {@link OpPattern#BROADCAST}.
 */
public final class ElementwiseOps {
  private ElementwiseOps() {}

  static List<OpDef> defs() {
    return List.of(
        binary("add", Double::sum),
        binary("subtract", (a, b) -> a - b),
        binary("multiply", (a, b) -> a * b),
        binary("divide", (a, b) -> a / b),
        binary("power", Math::pow),
        binary("maximum", Math::max),
        binary("minimum", Math::min),
        unary("nn.relu", x -> x > 0 ? x : 0),
        unary("negative", x -> -x),
        unary("abs", Math::abs),
        floatUnary("exp", Math::exp),
        floatUnary("log", Math::log),
        floatUnary("sqrt", Math::sqrt),
        floatUnary("sigmoid", x -> 1.0 / (1.0 + Math.exp(-x))),
        floatUnary("tanh", Math::tanh),
        leakyRelu(),
        clip(),
        cast());
  }

  static OpDef unary(String name, DoubleUnaryOperator f) {
    return OpDef.builder(name)
        .type((args, attrs) -> Types.tensor(args, 0))
        .kernel((args, attrs, out) -> map(args.get(0).asTensor(), f))
        .pattern(OpPattern.ELEMWISE)
        .build();
  }

  /** A unary op defined on float32 only (transcendental functions). */
  static OpDef floatUnary(String name, DoubleUnaryOperator f) {
    return OpDef.builder(name)
        .type((args, attrs) -> Types.floatTensor(args, 0, -1))
        .kernel((args, attrs, out) -> map(args.get(0).asTensor(), f))
        .pattern(OpPattern.ELEMWISE)
        .build();
  }

  static OpDef binary(String name, DoubleBinaryOperator f) {
    return OpDef.builder(name)
        .inputs(2)
        .type((args, attrs) -> Types.broadcastType(args))
        .kernel((args, attrs, out) -> broadcast(args.get(0).asTensor(), args.get(1).asTensor(), (TensorType) out, f))
        .pattern(OpPattern.BROADCAST)
        .build();
  }

  /** {@code nn.leaky_relu(x, alpha=0.25)}: x for x > 0, alpha * x otherwise; alpha >= 0 as TVM's lower bound. */
  private static OpDef leakyRelu() {
    return OpDef.builder("nn.leaky_relu")
        .attr(AttrSpec.real("alpha", 0.25))
        .type((args, attrs) -> {
          if (attrs.getDouble("alpha") < 0) {
            throw new KbyocException("attribute [alpha] must be >= 0, got " + attrs.getDouble("alpha"));
          }
          return Types.tensor(args, 0);
        })
        .kernel((args, attrs, out) -> {
          double alpha = attrs.getDouble("alpha");
          return map(args.get(0).asTensor(), x -> x > 0 ? x : alpha * x);
        })
        .pattern(OpPattern.ELEMWISE)
        .build();
  }

  /** {@code clip(x, a_min, a_max)}: both bounds required, {@code a_min <= a_max}. */
  private static OpDef clip() {
    return OpDef.builder("clip")
        .attr(new AttrSpec("a_min", AttrKind.FLOAT, null))
        .attr(new AttrSpec("a_max", AttrKind.FLOAT, null))
        .type((args, attrs) -> {
          TensorType t = Types.tensor(args, 0);
          double lo = Types.requireDouble(attrs, "a_min");
          double hi = Types.requireDouble(attrs, "a_max");
          if (lo > hi) {
            throw new KbyocException("a_min [" + lo + "] is greater than a_max [" + hi + "]");
          }
          return t;
        })
        .kernel((args, attrs, out) -> {
          double lo = attrs.getDouble("a_min");
          double hi = attrs.getDouble("a_max");
          return map(args.get(0).asTensor(), x -> Math.min(Math.max(x, lo), hi));
        })
        .pattern(OpPattern.ELEMWISE)
        .build();
  }

  /** {@code cast(x, dtype)}: float to integer truncates toward zero, then wraps (as C casts do). */
  private static OpDef cast() {
    return OpDef.builder("cast")
        .attr(new AttrSpec("dtype", AttrKind.STRING, null))
        .type((args, attrs) -> {
          TensorType t = Types.tensor(args, 0);
          return new TensorType(t.shape(), DType.parse(Types.requireString(attrs, "dtype")));
        })
        .kernel((args, attrs, out) -> {
          NDArray x = args.get(0).asTensor();
          NDArray y = NDArray.zeros(((TensorType) out).dtype(), x.shape());
          for (int i = 0; i < x.size(); i++) {
            y.setDouble(i, x.getDouble(i));
          }
          return y;
        })
        .pattern(OpPattern.ELEMWISE)
        .build();
  }

  /** Applies {@code f} to every element (computed in double, stored in the input's dtype). */
  public static NDArray map(NDArray x, DoubleUnaryOperator f) {
    NDArray y = NDArray.zeros(x.dtype(), x.shape());
    for (int i = 0; i < x.size(); i++) {
      y.setDouble(i, f.applyAsDouble(x.getDouble(i)));
    }
    return y;
  }

  /** numpy-broadcast binary op into a fresh tensor of type {@code out}. */
  public static NDArray broadcast(NDArray a, NDArray b, TensorType out, DoubleBinaryOperator f) {
    int[] os = out.shape();
    NDArray y = NDArray.zeros(out.dtype(), os);
    int[] sa = Types.broadcastStrides(a.shape(), os);
    int[] sb = Types.broadcastStrides(b.shape(), os);
    int[] idx = new int[os.length];
    for (int i = 0; i < y.size(); i++) {
      int ia = 0;
      int ib = 0;
      for (int d = 0; d < os.length; d++) {
        ia += idx[d] * sa[d];
        ib += idx[d] * sb[d];
      }
      y.setDouble(i, f.applyAsDouble(a.getDouble(ia), b.getDouble(ib)));
      for (int d = os.length - 1; d >= 0 && ++idx[d] == os[d]; d--) {
        idx[d] = 0;
      }
    }
    return y;
  }


}
