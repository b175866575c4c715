package dev.kbyoc.onnx;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Converters for elementwise math, activations, Softmax and the reductions (ReduceMean/Sum/Max/Min). Binary ops broadcast
 * numpy-style (ONNX opset 7+ semantics, the same as Relay's); Max/Min/Sum take any number of
 * inputs and become a chain of binary calls.
 */
final class MathConverters {
  private MathConverters() {}

  static void register(Map<String, Converter> m) {
    unary(m, "Relu", "nn.relu");
    unary(m, "Sigmoid", "sigmoid");
    unary(m, "Tanh", "tanh");
    unary(m, "Sqrt", "sqrt");
    unary(m, "Exp", "exp");
    unary(m, "Neg", "negative");
    variadic(m, "Add", "add", 2);
    variadic(m, "Sub", "subtract", 2);
    variadic(m, "Mul", "multiply", 2);
    variadic(m, "Div", "divide", 2);
    variadic(m, "Max", "maximum", -1);
    variadic(m, "Min", "minimum", -1);
    variadic(m, "Sum", "add", -1);
    m.put("Identity", Converter.single(cx -> cx.input(0)));
    m.put("Dropout", MathConverters::dropout);
    m.put("LeakyRelu", Converter.single(cx ->
        cx.call("nn.leaky_relu", Attrs.of("alpha", cx.attrs().getFloat("alpha", 0.01)), cx.input(0))));
    m.put("HardSigmoid", Converter.single(MathConverters::hardSigmoid));
    m.put("Clip", Converter.single(MathConverters::clip));
    m.put("Softmax", Converter.single(MathConverters::softmax));
    m.put("Pow", Converter.single(MathConverters::pow));
    m.put("ReduceMean", Converter.single(cx -> reduce(cx, "mean")));
    m.put("ReduceSum", Converter.single(cx -> reduce(cx, "sum")));
    m.put("ReduceMax", Converter.single(cx -> reduce(cx, "max")));
    m.put("ReduceMin", Converter.single(cx -> reduce(cx, "min")));
  }

  private static void unary(Map<String, Converter> m, String onnx, String relay) {
    m.put(onnx, Converter.single(cx -> cx.call(relay, cx.input(0))));
  }

  /** {@code arity} 2 for strict binary ops, -1 for ops taking one or more inputs. */
  private static void variadic(Map<String, Converter> m, String onnx, String relay, int arity) {
    m.put(onnx, Converter.single(cx -> {
      if (arity == 2 && cx.numInputs() != 2) {
        throw cx.error("expects 2 inputs, got " + cx.numInputs());
      }
      Expr acc = cx.input(0);
      for (int i = 1; i < cx.numInputs(); i++) {
        acc = cx.call(relay, acc, legacyBroadcast(cx, cx.input(i)));
      }
      return acc;
    }));
  }

  /**
   * Before opset 7, {@code broadcast=1, axis=a} aligns B with A starting at axis {@code a}; B is
   * reshaped with trailing ones so numpy broadcasting does the same. Without {@code axis} the
   * legacy rule (B matches a suffix of A) already is numpy's.
   */
  static Expr legacyBroadcast(ImportContext cx, Expr b) {
    if (cx.opset() >= 7 || cx.attrs().getInt("broadcast", 0) == 0 || !cx.attrs().has("axis")) {
      return b;
    }
    int rankA = cx.type(0).rank();
    int axis = cx.attrs().getInt("axis", 0);
    axis = axis < 0 ? axis + rankA : axis;
    int[] bs = cx.typeOf(b).shape();
    if (axis < 0 || axis + bs.length > rankA) {
      throw cx.error("legacy broadcast axis " + axis + " does not fit " + cx.type(0) + " and " + cx.typeOf(b));
    }
    int[] shape = new int[rankA - axis];
    java.util.Arrays.fill(shape, 1);
    System.arraycopy(bs, 0, shape, 0, bs.length);
    return cx.call("reshape", Attrs.of("newshape", shape), b);
  }

  /**
   * Dropout. Inference (no or false {@code training_mode}, or ratio 0): the identity plus an
   * all-true mask. Training with a known ratio: ONNX's reference, {@code mask = uniform(0, 1) >=
   * ratio} drawn by {@link NumpyRandom} seeded with the {@code seed} attribute (0 when absent) and
   * {@code y = x * mask / (1 - ratio)}. The mask is computed at import, so it is the same on every
   * run of the model (ONNX only requires a seeded generator to be deterministic).
   */
  private static List<Expr> dropout(ImportContext cx) {
    boolean training = cx.hasInput(2) && cx.requireKnown(2, "training_mode").getDouble(0) != 0;
    double ratio = cx.opset() < 12 ? cx.attrs().getFloat("ratio", 0.5)
        : cx.hasInput(1) ? cx.requireKnown(1, "ratio").getDouble(0) : 0.5;
    if (training && (ratio < 0 || ratio >= 1)) {
      throw cx.error("ratio " + ratio + " must be in [0, 1)");
    }
    TensorType t = cx.type(0);
    NDArray mask = NDArray.zeros(DType.BOOL, t.shape());
    List<Expr> outs = new ArrayList<>();
    if (!training || ratio == 0) {
      for (int i = 0; i < mask.size(); i++) {
        mask.setDouble(i, 1);
      }
      outs.add(cx.input(0));
    } else {
      long seed = cx.attrs().getLong("seed", 0);
      NumpyRandom rng = new NumpyRandom(seed);
      double scale = t.dtype().isFloat() ? 1 / (float) (1 - (float) ratio) : 1 / (1 - ratio);
      NDArray keep = NDArray.zeros(t.dtype(), t.shape());
      for (int i = 0; i < mask.size(); i++) {
        boolean k = rng.nextDouble() >= ratio;
        mask.setDouble(i, k ? 1 : 0);
        keep.setDouble(i, k ? scale : 0);
      }
      outs.add(cx.call("multiply", cx.input(0), cx.constant(keep)));
    }
    if (cx.node().getOutputCount() >= 2 && !cx.node().getOutput(1).isEmpty()) {
      outs.add(cx.constant(mask));
    }
    return outs;
  }

  /** {@code clip(x * alpha + beta, 0, 1)} as TVM writes it. */
  private static Expr hardSigmoid(ImportContext cx) {
    DType dt = cx.type(0).dtype();
    Expr x = cx.call("multiply", cx.input(0), cx.scalar(cx.attrs().getFloat("alpha", 0.2), dt));
    x = cx.call("add", x, cx.scalar(cx.attrs().getFloat("beta", 0.5), dt));
    return cx.call("clip", Attrs.of("a_min", 0.0, "a_max", 1.0), x);
  }

  /** Clip with attributes (opset < 11) or optional constant inputs (opset >= 11). */
  private static Expr clip(ImportContext cx) {
    DType dt = cx.type(0).dtype();
    double lo = dt.lowest();
    double hi = dt.highest();
    if (cx.opset() < 11) {
      lo = cx.attrs().getFloat("min", lo);
      hi = cx.attrs().getFloat("max", hi);
    } else {
      if (cx.hasInput(1)) {
        lo = cx.requireKnown(1, "min").getDouble(0);
      }
      if (cx.hasInput(2)) {
        hi = cx.requireKnown(2, "max").getDouble(0);
      }
    }
    return cx.call("clip", Attrs.of("a_min", lo, "a_max", hi), cx.input(0));
  }


  /**
   * Opset 13+: softmax along {@code axis} (default -1). Before 13 ONNX flattens the input to 2-D
   * at {@code axis} (default 1) and normalises each row, which is a reshape around a softmax over
   * the flattened trailing axes.
   */
  private static Expr softmax(ImportContext cx) {
    TensorType t = cx.type(0);
    int rank = t.rank();
    if (cx.opset() >= 13) {
      int axis = cx.attrs().getInt("axis", -1);
      return cx.call("nn.softmax", Attrs.of("axis", axis), cx.input(0));
    }
    int axis = cx.attrs().getInt("axis", 1);
    if (axis < 0) {
      axis += rank;
    }
    if (axis < 0 || axis > rank) {
      throw cx.error("axis " + axis + " out of range for " + t);
    }
    if (axis == rank - 1) {
      return cx.call("nn.softmax", Attrs.of("axis", -1), cx.input(0));
    }
    long outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= t.dim(i);
    }
    long inner = t.size() / Math.max(1, outer);
    Expr flat = cx.call("reshape", Attrs.of("newshape", List.of(outer, inner)), cx.input(0));
    Expr s = cx.call("nn.softmax", Attrs.of("axis", 1), flat);
    return cx.call("reshape", Attrs.of("newshape", t.shape()), s);
  }

  /**
   * Pow. ONNX allows the exponent's dtype to differ from the base's, and the result has the
   * base's dtype: the exponent is cast to a float base's dtype; an integer base is raised in
   * float32 and the result cast back (truncating, as ONNX's reference does).
   */
  private static Expr pow(ImportContext cx) {
    DType base = cx.type(0).dtype();
    Expr x = cx.input(0);
    Expr y = legacyBroadcast(cx, cx.input(1));
    if (cx.type(1).dtype() == base) {
      return cx.call("power", x, y);
    }
    Attrs toFloat = Attrs.of("dtype", DType.FLOAT32.relayName());
    if (base.isFloat()) {
      return cx.call("power", x, cx.call("cast", toFloat, y));
    }
    Expr yf = cx.typeOf(y).dtype().isFloat() ? y : cx.call("cast", toFloat, y);
    Expr p = cx.call("power", cx.call("cast", toFloat, x), yf);
    return cx.call("cast", Attrs.of("dtype", base.relayName()), p);
  }

  /**
   * ReduceMean/Sum/Max/Min: {@code axes} from the attribute, or (ReduceSum from opset 13) the
   * optional second input; no axes reduce every axis unless {@code noop_with_empty_axes=1}, which
   * makes the node the identity. {@code keepdims} defaults to 1.
   */
  private static Expr reduce(ImportContext cx, String relay) {
    long[] axes = cx.attrs().getInts("axes");
    if (relay.equals("sum") && cx.opset() >= 13) {
      axes = cx.hasInput(1) ? cx.requireLongs(1, "axes") : null;
    }
    if (axes != null && axes.length == 0) {
      axes = null;
    }
    if (axes == null && cx.attrs().getInt("noop_with_empty_axes", 0) != 0) {
      return cx.input(0);
    }
    boolean keep = cx.attrs().getInt("keepdims", 1) != 0;
    int rank = cx.type(0).rank();
    int[] list = new int[axes == null ? rank : axes.length];
    for (int i = 0; i < list.length; i++) {
      list[i] = axes == null ? i : Math.toIntExact(axes[i]);
    }
    return cx.call(relay, Attrs.of("keepdims", keep, "axis", list), cx.input(0));
  }
}
