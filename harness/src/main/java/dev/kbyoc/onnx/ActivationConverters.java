package dev.kbyoc.onnx;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.TensorType;
import java.util.Map;

/**
 * Activations and small elementwise ops that Relay composes from primitives, written as TVM v0.8's
 * ONNX frontend writes them: Elu {@code -alpha * relu(1 - exp(x)) + relu(x)}, Selu (Elu scaled
 * by gamma), Softplus {@code log(exp(x) + 1)}, Softsign {@code x / (1 + |x|)}, PRelu
 * {@code relu(x) - slope * relu(-x)}, Reciprocal {@code 1 / x}, plus Abs, Log and the variadic Mean.
 */
final class ActivationConverters {
  private ActivationConverters() {}

  static void register(Map<String, Converter> m) {
    m.put("Abs", Converter.single(cx -> cx.call("abs", cx.input(0))));
    m.put("Log", Converter.single(cx -> cx.call("log", cx.input(0))));
    m.put("Reciprocal", Converter.single(cx -> cx.call("divide", one(cx), cx.input(0))));
    m.put("Elu", Converter.single(cx -> elu(cx, cx.attrs().getFloat("alpha", 1.0))));
    m.put("Selu", Converter.single(cx -> cx.call("multiply",
        elu(cx, cx.attrs().getFloat("alpha", 1.67326319217681884765625)),
        cx.scalar(cx.attrs().getFloat("gamma", 1.05070102214813232421875), dtype(cx)))));
    m.put("Softplus", Converter.single(cx -> cx.call("log", cx.call("add", cx.call("exp", cx.input(0)), one(cx)))));
    m.put("Softsign", Converter.single(cx ->
        cx.call("divide", cx.input(0), cx.call("add", one(cx), cx.call("abs", cx.input(0))))));
    m.put("PRelu", Converter.single(ActivationConverters::prelu));
    m.put("Mean", Converter.single(ActivationConverters::mean));
  }

  private static DType dtype(ImportContext cx) {
    return cx.type(0).dtype();
  }

  private static Expr one(ImportContext cx) {
    return cx.scalar(1.0, dtype(cx));
  }

  private static Expr elu(ImportContext cx, double alpha) {
    Expr x = cx.input(0);
    Expr neg = cx.call("nn.relu", cx.call("subtract", one(cx), cx.call("exp", x)));
    return cx.call("add", cx.call("multiply", cx.scalar(-alpha, dtype(cx)), neg), cx.call("nn.relu", x));
  }

  /** PRelu; before opset 7 a 1-D slope of length C is per channel (axis 1), so it gets trailing unit dims. */
  private static Expr prelu(ImportContext cx) {
    Expr x = cx.input(0);
    Expr slope = cx.input(1);
    TensorType xt = cx.type(0);
    TensorType st = cx.type(1);
    if (cx.opset() < 7 && st.rank() == 1 && xt.rank() > 2 && st.dim(0) == xt.dim(1) && st.dim(0) != 1) {
      int[] shape = new int[xt.rank() - 1];
      java.util.Arrays.fill(shape, 1);
      shape[0] = st.dim(0);
      slope = cx.call("reshape", Attrs.of("newshape", shape), slope);
    }
    Expr negPart = cx.call("nn.relu", cx.call("negative", x));
    return cx.call("subtract", cx.call("nn.relu", x), cx.call("multiply", slope, negPart));
  }

  private static Expr mean(ImportContext cx) {
    Expr acc = cx.input(0);
    for (int i = 1; i < cx.numInputs(); i++) {
      acc = cx.call("add", acc, cx.input(i));
    }
    return cx.numInputs() == 1 ? acc : cx.call("divide", acc, cx.scalar(cx.numInputs(), dtype(cx)));
  }
}
