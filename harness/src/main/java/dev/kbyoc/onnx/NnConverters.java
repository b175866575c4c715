package dev.kbyoc.onnx;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.TensorType;
import java.util.List;
import java.util.Map;

/**
 * Converters for the 2-D network layers (Conv, ConvTranspose and the pools also 1-D, lifted to
 * 2-D with a unit height as TVM does for grouped conv1d; ConvTranspose and the pools also 3-D,
 * on the {@code 3d} ops): Conv, ConvTranspose, BatchNormalization (training mode in
 * {@link TrainingConverters}), MaxPool (with its Indices output), AveragePool, GlobalAveragePool,
 * Gemm and MatMul, following TVM v0.8's ONNX frontend ({@code python/tvm/relay/frontend/onnx.py}):
 * conv then {@code nn.bias_add}, {@code nn.batch_norm} then {@code .0}, Gemm as {@code nn.dense}
 * plus bias. {@code auto_pad} is resolved to explicit padding from the static input shape.
 */
final class NnConverters {
  private NnConverters() {}

  static void register(Map<String, Converter> m) {
    m.put("Conv", Converter.single(NnConverters::conv));
    m.put("ConvTranspose", Converter.single(NnConverters::convTranspose));
    m.put("BatchNormalization", cx -> cx.attrs().getInt("training_mode", 0) != 0
        ? TrainingConverters.batchNormTraining(cx) : List.of(batchNorm(cx)));
    m.put("MaxPool", cx -> pool(cx, "nn.max_pool2d"));
    m.put("AveragePool", cx -> pool(cx, "nn.avg_pool2d"));
    m.put("GlobalAveragePool", Converter.single(cx -> {
      require4d(cx, "GlobalAveragePool");
      return cx.call("nn.global_avg_pool2d", cx.input(0));
    }));
    m.put("Gemm", Converter.single(NnConverters::gemm));
    m.put("MatMul", Converter.single(NnConverters::matmul));
  }

  private static TensorType require4d(ImportContext cx, String what) {
    TensorType t = cx.type(0);
    if (t.rank() != 4) {
      throw cx.unsupported("only 2-D " + what + " (rank-4 NCHW input) is supported, got " + t);
    }
    return t;
  }

  /** Spatial rank of a 1-D or 2-D window op's input; other ranks are unsupported. */
  private static int spatialRank(ImportContext cx) {
    TensorType t = cx.type(0);
    if (t.rank() != 3 && t.rank() != 4) {
      throw cx.unsupported("only 1-D and 2-D " + cx.node().getOpType() + " (rank-3 or rank-4 input) is supported, got " + t);
    }
    return t.rank() - 2;
  }

  /** Spatial rank of a 1-D, 2-D or 3-D (pools, ConvTranspose) window op's input. */
  private static int spatialRank3(ImportContext cx) {
    return cx.type(0).rank() == 5 ? 3 : spatialRank(cx);
  }

  /** The 2-D Relay op name, or its 3-D twin for a 3-D window. */
  private static String named(String op2d, int n) {
    return n == 3 ? op2d.replace("2d", "3d") : op2d;
  }

  /** An n-valued window attribute ({@code def} in every entry when absent). */
  private static int[] window(ImportContext cx, String name, int n, int def) {
    int[] v = cx.ints(name, null);
    if (v == null) {
      v = new int[n];
      java.util.Arrays.fill(v, def);
    }
    if (v.length != n) {
      throw cx.error(name + " must have " + n + " values, got " + v.length);
    }
    return v;
  }

  /** A 1-D window value as 2-D, with a unit leading axis holding {@code unit}. */
  private static int[] lift(int[] v, int unit) {
    return v.length != 1 ? v : new int[] {unit, v[0]};
  }

  /** 1-D pads {@code (begin, end)} as 2-D {@code (0, begin, 0, end)}. */
  private static int[] liftPads(int[] p) {
    return p.length != 2 ? p : new int[] {0, p[0], 0, p[1]};
  }

  /** A rank-3 (1-D) tensor as rank 4 with H = 1. */
  private static Expr lift(ImportContext cx, Expr e) {
    return cx.typeOf(e).rank() == 3 ? cx.call("expand_dims", Attrs.of("axis", 2), e) : e;
  }

  /** Undoes {@link #lift(ImportContext, Expr)} on an op's result when the input was 1-D. */
  private static Expr unlift(ImportContext cx, Expr e, int n) {
    return n == 1 ? cx.call("squeeze", Attrs.of("axis", java.util.List.of(2L)), e) : e;
  }

  /**
   * Explicit padding {@code (begin..., end...)} for {@code in.length} spatial axes from
   * {@code pads} or {@code auto_pad}. SAME_UPPER puts the odd pixel at the end, SAME_LOWER at the
   * start, as ONNX specifies.
   */
  static int[] padding(ImportContext cx, int[] in, int[] kernel, int[] strides, int[] dilations) {
    int n = in.length;
    String autoPad = cx.attrs().getString("auto_pad", "NOTSET");
    switch (autoPad) {
      case "NOTSET" -> {
        return window(cx, "pads", 2 * n, 0);
      }
      case "VALID" -> {
        return new int[2 * n];
      }
      case "SAME_UPPER", "SAME_LOWER" -> {
        int[] p = new int[2 * n];
        for (int a = 0; a < n; a++) {
          int eff = (kernel[a] - 1) * dilations[a] + 1;
          int out = (in[a] + strides[a] - 1) / strides[a];
          int total = Math.max(0, (out - 1) * strides[a] + eff - in[a]);
          int small = total / 2;
          boolean upper = autoPad.equals("SAME_UPPER");
          p[a] = upper ? small : total - small;
          p[a + n] = upper ? total - small : small;
        }
        return p;
      }
      default -> throw cx.error("invalid auto_pad [" + autoPad + "]");
    }
  }

  private static int[] spatial(TensorType t) {
    return java.util.Arrays.copyOfRange(t.shape(), 2, t.rank());
  }

  private static Expr conv(ImportContext cx) {
    int n = spatialRank(cx);
    TensorType x = cx.type(0);
    TensorType w = cx.type(1);
    if (w.rank() != n + 2) {
      throw cx.error("weight must have rank " + (n + 2) + ", got " + w);
    }
    int[] kernel = cx.ints("kernel_shape", spatial(w));
    int[] strides = window(cx, "strides", n, 1);
    int[] dilations = window(cx, "dilations", n, 1);
    int[] pads = padding(cx, spatial(x), kernel, strides, dilations);
    Attrs a = Attrs.of("strides", lift(strides, 1), "padding", liftPads(pads), "dilation", lift(dilations, 1),
        "groups", cx.attrs().getInt("group", 1), "channels", w.dim(0), "kernel_size", lift(kernel, 1));
    Expr out = cx.call("nn.conv2d", a, lift(cx, cx.input(0)), lift(cx, cx.input(1)));
    out = cx.hasInput(2) ? cx.call("nn.bias_add", Attrs.empty(), out, cx.input(2)) : out;
    return unlift(cx, out, n);
  }

  /**
   * ConvTranspose with ONNX's IOHW weights. With {@code output_shape} (or SAME auto_pad, whose
   * output is {@code in * stride}) the total padding follows from the requested size; a negative
   * total becomes extra output padding.
   */
  private static Expr convTranspose(ImportContext cx) {
    int n = spatialRank3(cx);
    TensorType x = cx.type(0);
    TensorType w = cx.type(1);
    if (w.rank() != n + 2) {
      throw cx.error("weight must have rank " + (n + 2) + ", got " + w);
    }
    int group = cx.attrs().getInt("group", 1);
    int[] kernel = cx.ints("kernel_shape", spatial(w));
    int[] strides = window(cx, "strides", n, 1);
    int[] dilations = window(cx, "dilations", n, 1);
    int[] outPad = window(cx, "output_padding", n, 0);
    int[] in = spatial(x);
    String autoPad = cx.attrs().getString("auto_pad", "NOTSET");
    int[] outShape = cx.ints("output_shape", null);
    if (outShape == null && autoPad.startsWith("SAME")) {
      outShape = new int[n];
      for (int a = 0; a < n; a++) {
        outShape[a] = in[a] * strides[a];
      }
    }
    int[] pads;
    if (outShape != null) {
      if (outShape.length == n + 2) {
        outShape = java.util.Arrays.copyOfRange(outShape, 2, n + 2);
      }
      pads = new int[2 * n];
      for (int a = 0; a < n; a++) {
        int total = strides[a] * (in[a] - 1) + outPad[a] + (kernel[a] - 1) * dilations[a] + 1 - outShape[a];
        if (total < 0) {
          outPad[a] -= total; // a larger output than the kernel reaches: extra zeros at the end
          total = 0;
        }
        boolean upper = autoPad.equals("SAME_UPPER");
        pads[a] = upper ? total / 2 : total - total / 2;
        pads[a + n] = upper ? total - total / 2 : total / 2;
      }
    } else if (autoPad.equals("VALID")) {
      pads = new int[2 * n];
    } else {
      pads = window(cx, "pads", 2 * n, 0);
    }
    Attrs a = Attrs.of("channels", w.dim(1) * group, "kernel_size", lift(kernel, 1), "strides", lift(strides, 1),
        "output_padding", lift(outPad, 0), "padding", liftPads(pads), "dilation", lift(dilations, 1),
        "groups", group, "kernel_layout", n == 3 ? "IODHW" : "IOHW");
    Expr out = cx.call(named("nn.conv2d_transpose", n), a, lift(cx, cx.input(0)), lift(cx, cx.input(1)));
    out = cx.hasInput(2) ? cx.call("nn.bias_add", Attrs.empty(), out, cx.input(2)) : out;
    return unlift(cx, out, n);
  }

  private static Expr batchNorm(ImportContext cx) {
    if (cx.attrs().getInt("spatial", 1) != 1) {
      throw cx.unsupported("spatial=0 is not supported");
    }
    if (cx.node().getOutputCount() > 1) {
      for (int k = 1; k < cx.node().getOutputCount(); k++) {
        if (!cx.node().getOutput(k).isEmpty()) {
          throw cx.unsupported("the training outputs (mean, var, ...) are not supported");
        }
      }
    }
    Attrs a = Attrs.of("axis", 1, "epsilon", cx.attrs().getFloat("epsilon", 1e-5));
    Expr bn = cx.call("nn.batch_norm", a, cx.input(0), cx.input(1), cx.input(2), cx.input(3), cx.input(4));
    return cx.getItem(bn, 0);
  }

  private static List<Expr> pool(ImportContext cx, String op) {
    int n = spatialRank3(cx);
    TensorType x = cx.type(0);
    boolean indices = cx.node().getOutputCount() > 1 && !cx.node().getOutput(1).isEmpty();
    if (indices && n != 2) {
      throw cx.unsupported("the Indices output is supported for 2-D MaxPool only");
    }
    if (!cx.attrs().has("kernel_shape")) {
      throw cx.error("missing required attribute 'kernel_shape'");
    }
    int[] kernel = window(cx, "kernel_shape", n, 1);
    int[] strides = window(cx, "strides", n, 1);
    int[] dilations = window(cx, "dilations", n, 1);
    int[] pads = padding(cx, spatial(x), kernel, strides, dilations);
    Attrs a = Attrs.of("pool_size", lift(kernel, 1), "strides", lift(strides, 1), "dilation", lift(dilations, 1),
        "padding", liftPads(pads), "ceil_mode", cx.attrs().getInt("ceil_mode", 0) != 0);
    if (op.equals("nn.avg_pool2d")) {
      a = a.with("count_include_pad", cx.attrs().getInt("count_include_pad", 0) != 0);
    }
    if (n == 3) {
      a = a.with("layout", "NCDHW");
    }
    if (indices) {
      Expr both = cx.call("nn.max_pool2d_with_argmax", a.with("storage_order", (long) cx.attrs().getInt("storage_order", 0)),
          cx.input(0));
      return List.of(cx.getItem(both, 0), cx.getItem(both, 1));
    }
    return List.of(unlift(cx, cx.call(named(op, n), a, lift(cx, cx.input(0))), n));
  }

  private static Expr gemm(ImportContext cx) {
    double alpha = cx.attrs().getFloat("alpha", 1.0);
    double beta = cx.attrs().getFloat("beta", 1.0);
    Expr a = cx.input(0);
    Expr b = cx.input(1);
    if (cx.type(0).rank() != 2 || cx.type(1).rank() != 2) {
      throw cx.error("Gemm needs rank-2 A and B, got " + cx.type(0) + " and " + cx.type(1));
    }
    if (cx.attrs().getInt("transA", 0) != 0) {
      a = cx.call("transpose", Attrs.of("axes", List.of(1L, 0L)), a);
    }
    if (cx.attrs().getInt("transB", 0) == 0) {
      b = cx.call("transpose", Attrs.of("axes", List.of(1L, 0L)), b);
    }
    TensorType bt = cx.typeOf(b);
    if (alpha != 1.0) {
      a = cx.call("multiply", a, cx.scalar(alpha, cx.type(0).dtype()));
    }
    Expr out = cx.call("nn.dense", Attrs.of("units", bt.dim(0)), a, b);
    if (!cx.hasInput(2)) {
      return out;
    }
    Expr c = cx.input(2);
    TensorType ct = cx.type(2);
    if (beta == 1.0 && ct.rank() == 1 && ct.dim(0) == bt.dim(0)) {
      return cx.call("nn.bias_add", Attrs.empty(), out, c);
    }
    if (beta != 1.0) {
      c = cx.call("multiply", c, cx.scalar(beta, ct.dtype()));
    }
    return cx.call("add", out, c);
  }

  /**
   * numpy matmul: 2-D operands become {@code nn.dense}, an N-D left operand by a 2-D matrix a
   * flattened dense; otherwise 1-D operands get a unit axis (removed afterwards), the batch dims
   * broadcast (an operand is expanded by adding zeros of the broadcast shape when neither side's
   * batch is 1), and both sides are reshaped to rank 3 for {@code nn.batch_matmul}.
   */
  private static Expr matmul(ImportContext cx) {
    TensorType at = cx.type(0);
    TensorType bt = cx.type(1);
    Expr a = cx.input(0);
    if (bt.rank() == 2 && at.rank() >= 2) {
      Expr b = cx.call("transpose", Attrs.of("axes", List.of(1L, 0L)), cx.input(1));
      int k = at.dim(at.rank() - 1);
      if (at.rank() == 2) {
        return cx.call("nn.dense", Attrs.of("units", bt.dim(1)), a, b);
      }
      long rows = at.size() / Math.max(1, k);
      Expr flat = cx.call("reshape", Attrs.of("newshape", List.of(rows, (long) k)), a);
      Expr d = cx.call("nn.dense", Attrs.of("units", bt.dim(1)), flat, b);
      int[] outShape = at.shape();
      outShape[outShape.length - 1] = bt.dim(1);
      return cx.call("reshape", Attrs.of("newshape", outShape), d);
    }
    Expr b = cx.input(1);
    int[] as = at.rank() == 1 ? new int[] {1, at.dim(0)} : at.shape();
    int[] bs = bt.rank() == 1 ? new int[] {bt.dim(0), 1} : bt.shape();
    int[] batch = dev.kbyoc.op.Types.broadcast(java.util.Arrays.copyOf(as, as.length - 2),
        java.util.Arrays.copyOf(bs, bs.length - 2));
    int nb = 1;
    for (int d : batch) {
      nb *= d;
    }
    Expr a3 = batched(cx, a, as, batch, nb);
    Expr b3 = batched(cx, b, bs, batch, nb);
    Expr y = cx.call("nn.batch_matmul", Attrs.of("transpose_b", false), a3, b3);
    int[] out = java.util.Arrays.copyOf(batch, batch.length + 2);
    out[batch.length] = as[as.length - 2];
    out[batch.length + 1] = bs[bs.length - 1];
    List<Long> shape = new java.util.ArrayList<>();
    for (int i = 0; i < out.length; i++) {
      boolean dropped = (at.rank() == 1 && i == out.length - 2) || (bt.rank() == 1 && i == out.length - 1);
      if (!dropped) {
        shape.add((long) out[i]);
      }
    }
    return cx.call("reshape", Attrs.of("newshape", shape), y);
  }

  /** {@code x} (of logical shape {@code s}) as {@code [nb or 1, rows, cols]}, broadcasting its batch dims. */
  private static Expr batched(ImportContext cx, Expr x, int[] s, int[] batch, int nb) {
    int rows = s[s.length - 2];
    int cols = s[s.length - 1];
    int own = 1;
    for (int i = 0; i < s.length - 2; i++) {
      own *= s[i];
    }
    if (own != nb && own != 1) {
      int[] full = java.util.Arrays.copyOf(batch, batch.length + 2);
      full[batch.length] = rows;
      full[batch.length + 1] = cols;
      x = cx.call("reshape", Attrs.of("newshape", s), x);
      x = cx.call("add", x, cx.constant(dev.kbyoc.ir.NDArray.zeros(cx.typeOf(x).dtype(), full)));
      own = nb;
    }
    return cx.call("reshape", Attrs.of("newshape", List.of((long) own, (long) rows, (long) cols)), x);
  }
}
