package dev.kbyoc.onnx;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import java.util.Arrays;
import java.util.Map;

/**
 * The import-time constant folder for ops that have no Relay counterpart in kbyoc but appear in
 * the static shape arithmetic export tools emit ({@code Shape -> Gather -> Unsqueeze -> Concat ->
 * Reshape}): Constant, Shape, Size, Gather, Slice, ConstantOfShape, and Cast. Each computes its
 * output value when its inputs are known (Shape needs only the static input type); otherwise it is
 * unsupported, except Cast, which becomes the identity or a Relay {@code cast}.
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

  private static NDArray staticData(ImportContext cx) {
    NDArray d = cx.knownOrNull(0);
    if (d == null) {
      throw cx.unsupported("only import-time constant data is supported (the op folds static shape arithmetic)");
    }
    return d;
  }

  /** numpy {@code take(data, indices, axis)} with negative indices counted from the end. */
  private static Expr gather(ImportContext cx) {
    NDArray data = staticData(cx);
    NDArray idx = cx.requireKnown(1, "indices");
    int r = data.rank();
    int axis = cx.attrs().getInt("axis", 0);
    axis = axis < 0 ? axis + r : axis;
    if (axis < 0 || axis >= r) {
      throw cx.error("axis out of range for " + data.type());
    }
    int[] ds = data.shape();
    int[] is = idx.shape();
    int[] os = new int[r - 1 + is.length];
    System.arraycopy(ds, 0, os, 0, axis);
    System.arraycopy(is, 0, os, axis, is.length);
    System.arraycopy(ds, axis + 1, os, axis + is.length, r - axis - 1);
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= ds[i];
    }
    int inner = 1;
    for (int i = axis + 1; i < r; i++) {
      inner *= ds[i];
    }
    NDArray out = NDArray.zeros(data.dtype(), os);
    int n = idx.size();
    for (int o = 0; o < outer; o++) {
      for (int k = 0; k < n; k++) {
        long j = idx.getLong(k);
        j = j < 0 ? j + ds[axis] : j;
        if (j < 0 || j >= ds[axis]) {
          throw cx.error("index " + idx.getLong(k) + " out of range for axis " + axis + " of " + data.type());
        }
        for (int i = 0; i < inner; i++) {
          out.setDouble((o * n + k) * inner + i, data.getDouble((int) ((o * ds[axis] + j) * inner + i)));
        }
      }
    }
    return cx.constant(out);
  }

  /** numpy slicing with starts/ends clamped per axis (attributes before opset 10, inputs after). */
  private static Expr slice(ImportContext cx) {
    NDArray data = staticData(cx);
    int r = data.rank();
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
    if (starts == null || ends == null || starts.length != ends.length) {
      throw cx.error("starts and ends must be given with equal lengths");
    }
    int[] shape = data.shape();
    long[] st = new long[r];
    long[] sp = new long[r];
    int[] os = shape.clone();
    Arrays.fill(sp, 1);
    for (int k = 0; k < starts.length; k++) {
      int ax = (int) (axes == null ? k : axes[k] < 0 ? axes[k] + r : axes[k]);
      long step = steps == null ? 1 : steps[k];
      if (ax < 0 || ax >= r || step == 0) {
        throw cx.error("invalid axis or zero step in slice");
      }
      long dim = shape[ax];
      long s = starts[k] < 0 ? starts[k] + dim : starts[k];
      long e = ends[k] < 0 ? ends[k] + dim : ends[k];
      if (step > 0) {
        s = Math.max(0, Math.min(dim, s));
        e = Math.max(0, Math.min(dim, e));
        os[ax] = (int) Math.max(0, (e - s + step - 1) / step);
      } else {
        s = Math.max(-1, Math.min(dim - 1, s));
        e = Math.max(-1, Math.min(dim - 1, e));
        os[ax] = (int) Math.max(0, (s - e + (-step) - 1) / (-step));
      }
      st[ax] = s;
      sp[ax] = step;
    }
    NDArray out = NDArray.zeros(data.dtype(), os);
    int[] idx = new int[r];
    for (int i = 0; i < out.size(); i++) {
      long src = 0;
      for (int d = 0; d < r; d++) {
        src = src * shape[d] + st[d] + idx[d] * sp[d];
      }
      out.setDouble(i, data.getDouble((int) src));
      for (int d = r - 1; d >= 0 && ++idx[d] == os[d]; d--) {
        idx[d] = 0;
      }
    }
    return cx.constant(out);
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
