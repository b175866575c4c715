package dev.kbyoc.onnx;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import java.util.Arrays;
import java.util.Map;

/**
 * Converters for the ops of the static shape arithmetic export tools emit ({@code Shape -> Gather
 * -> Unsqueeze -> Concat -> Reshape}): Constant, Shape, Size, ConstantOfShape (values at import:
 * Shape and Size need only the static input type), and Gather, Slice and Cast, which become Relay's
 * {@code take}, {@code strided_slice} and {@code cast} and fold like every call whose arguments are
 * all constants.
 */
final class StaticConverters {
  private StaticConverters() {}

  static void register(Map<String, Converter> m) {
    m.put("Constant", Converter.single(StaticConverters::constant));
    m.put("Shape", Converter.single(StaticConverters::shape));
    m.put("Size", Converter.single(cx -> cx.constant(NDArray.ofInt64(new long[] {cx.type(0).size()}))));
    m.put("Gather", Converter.single(StaticConverters::gather));
    m.put("Slice", Converter.single(StaticConverters::slice));
    m.put("ConstantOfShape", Converter.single(StaticConverters::constantOfShape));
    m.put("Cast", Converter.single(StaticConverters::cast));
  }

  private static Expr constant(ImportContext cx) {
    NodeAttrs a = cx.attrs();
    if (a.has("value")) {
      return cx.constant(a.getTensor("value"));
    }
    if (a.has("value_float")) {
      return cx.constant(NDArray.scalar((float) a.getFloat("value_float", 0)));
    }
    if (a.has("value_int")) {
      return cx.constant(NDArray.ofInt64(new long[] {a.getLong("value_int", 0)}));
    }
    if (a.has("value_floats")) {
      float[] f = a.getFloats("value_floats");
      return cx.constant(NDArray.of(f, f.length));
    }
    if (a.has("value_ints")) {
      long[] l = a.getInts("value_ints");
      return cx.constant(NDArray.ofInt64(l, l.length));
    }
    if (a.has("sparse_value") || a.has("value_string") || a.has("value_strings")) {
      throw cx.unsupported("sparse and string constants are not supported");
    }
    throw cx.error("Constant has no value attribute");
  }

  private static Expr shape(ImportContext cx) {
    int[] s = cx.type(0).shape();
    int r = s.length;
    int start = cx.attrs().getInt("start", 0);
    int end = cx.attrs().getInt("end", r);
    start = Math.max(0, Math.min(r, start < 0 ? start + r : start));
    end = Math.max(0, Math.min(r, end < 0 ? end + r : end));
    long[] out = new long[Math.max(0, end - start)];
    for (int i = 0; i < out.length; i++) {
      out[i] = s[start + i];
    }
    return cx.constant(NDArray.ofInt64(out, out.length));
  }

  /**
   * Gather is Relay's {@code take(data, indices, axis, mode="wrap")}: ONNX allows indices in
   * [-s, s - 1], which wrapping maps onto [0, s); import-time indices outside are an error.
   */
  private static Expr gather(ImportContext cx) {
    TensorType t = cx.type(0);
    int axis = cx.attrs().getInt("axis", 0);
    int r = t.rank();
    if (axis < -r || axis >= r) {
      throw cx.error("axis " + axis + " out of range for " + t);
    }
    NDArray idx = cx.knownOrNull(1);
    int dim = t.dim(axis < 0 ? axis + r : axis);
    for (int k = 0; idx != null && k < idx.size(); k++) {
      if (idx.getLong(k) < -dim || idx.getLong(k) >= dim) {
        throw cx.error("index " + idx.getLong(k) + " out of range for axis " + axis + " of " + t);
      }
    }
    return cx.call("take", Attrs.of("axis", axis, "mode", "wrap"), cx.input(0), cx.input(1));
  }

  /**
   * Slice is Relay's {@code strided_slice} with explicit axes: starts/ends/axes/steps come from
   * attributes before opset 10, else from inputs that must be known at import. ONNX and TVM
   * canonicalise begin/end alike (negative counts from the end, then clamp to [0, dim] or, for a
   * negative step, [-1, dim - 1]); values are clamped to [-dim - 1, dim] first so they fit Relay's
   * 32-bit attributes without changing the result (ONNX uses INT64_MAX for "to the end").
   */
  private static Expr slice(ImportContext cx) {
    TensorType t = cx.type(0);
    int r = t.rank();
    long[] starts;
    long[] ends;
    long[] axes;
    long[] steps = null;
    if (cx.opset() < 10) {
      starts = cx.attrs().getInts("starts");
      ends = cx.attrs().getInts("ends");
      axes = cx.attrs().getInts("axes");
    } else {
      starts = cx.requireLongs(1, "starts");
      ends = cx.requireLongs(2, "ends");
      axes = cx.hasInput(3) ? cx.requireLongs(3, "axes") : null;
      steps = cx.hasInput(4) ? cx.requireLongs(4, "steps") : null;
    }
    if (starts == null || ends == null || starts.length != ends.length
        || (axes != null && axes.length != starts.length) || (steps != null && steps.length != starts.length)) {
      throw cx.error("starts, ends, axes and steps must be given with equal lengths");
    }
    int n = starts.length;
    int[] b = new int[n];
    int[] e = new int[n];
    int[] st = new int[n];
    int[] ax = new int[n];
    for (int k = 0; k < n; k++) {
      long a = axes == null ? k : axes[k] < 0 ? axes[k] + r : axes[k];
      long step = steps == null ? 1 : steps[k];
      if (a < 0 || a >= r || step == 0 || step != (int) step) {
        throw cx.error("invalid axis or step in slice of " + t);
      }
      long dim = t.dim((int) a);
      ax[k] = (int) a;
      st[k] = (int) step;
      b[k] = (int) Math.max(-dim - 1, Math.min(dim, starts[k]));
      e[k] = (int) Math.max(-dim - 1, Math.min(dim, ends[k]));
    }
    return cx.call("strided_slice", Attrs.of("begin", b, "end", e, "strides", st, "axes", ax), cx.input(0));
  }

  private static Expr constantOfShape(ImportContext cx) {
    long[] dims = cx.requireLongs(0, "shape");
    int[] shape = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = Math.toIntExact(dims[i]);
    }
    NDArray v = cx.attrs().has("value") ? cx.attrs().getTensor("value") : NDArray.scalar(0f);
    NDArray out = NDArray.zeros(v.dtype(), shape);
    double fill = v.getDouble(0);
    for (int i = 0; i < out.size(); i++) {
      out.setDouble(i, fill);
    }
    return cx.constant(out);
  }

  private static Expr cast(ImportContext cx) {
    if (cx.opset() < 6) {
      throw cx.unsupported("Cast before opset 6 (type given as a string) is not supported");
    }
    DType to = TensorProtos.dtypeOf(cx.attrs().getInt("to", 0), cx.where() + " attribute 'to'");
    NDArray k = cx.knownOrNull(0);
    if (k != null) {
      NDArray out = NDArray.zeros(to, k.shape());
      for (int i = 0; i < k.size(); i++) {
        out.setDouble(i, to.isFloat() ? k.getDouble(i) : k.getLong(i));
      }
      return cx.constant(out);
    }
    TensorType t = cx.type(0);
    if (t.dtype() == to) {
      return cx.input(0);
    }
    return cx.call("cast", Attrs.of("dtype", to.relayName()), cx.input(0));
  }
}
