package dev.kbyoc.onnx;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.TensorType;
import java.util.List;
import java.util.Map;

/**
 * Converters for the 2-D network layers: Conv, ConvTranspose, BatchNormalization, MaxPool,
 * AveragePool, GlobalAveragePool, Gemm and MatMul, following TVM v0.8's ONNX frontend
 * ({@code python/tvm/relay/frontend/onnx.py}): conv then {@code nn.bias_add}, {@code nn.batch_norm}
 * then {@code .0}, Gemm as {@code nn.dense} plus bias. {@code auto_pad} is resolved to explicit
 * padding from the static input shape.
 */
final class NnConverters {
  private NnConverters() {}

  static void register(Map<String, Converter> m) {
    m.put("Conv", Converter.single(NnConverters::conv));
    m.put("ConvTranspose", Converter.single(NnConverters::convTranspose));
    m.put("BatchNormalization", Converter.single(NnConverters::batchNorm));
    m.put("MaxPool", Converter.single(cx -> pool(cx, "nn.max_pool2d")));
    m.put("AveragePool", Converter.single(cx -> pool(cx, "nn.avg_pool2d")));
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

  /**
   * Explicit padding {@code (top, left, bottom, right)} from {@code pads} or {@code auto_pad}.
   * SAME_UPPER puts the odd pixel at the end, SAME_LOWER at the start, as ONNX specifies.
   */
  static int[] padding(ImportContext cx, int[] in, int[] kernel, int[] strides, int[] dilations) {
    String autoPad = cx.attrs().getString("auto_pad", "NOTSET");
    switch (autoPad) {
      case "NOTSET" -> {
        int[] pads = cx.ints("pads", new int[] {0, 0, 0, 0});
        if (pads.length != 4) {
          throw cx.error("pads must have 4 values for a 2-D window, got " + pads.length);
        }
        return pads;
      }
      case "VALID" -> {
        return new int[] {0, 0, 0, 0};
      }
      case "SAME_UPPER", "SAME_LOWER" -> {
        int[] p = new int[4];
        for (int a = 0; a < 2; a++) {
          int eff = (kernel[a] - 1) * dilations[a] + 1;
          int out = (in[a] + strides[a] - 1) / strides[a];
          int total = Math.max(0, (out - 1) * strides[a] + eff - in[a]);
          int small = total / 2;
          boolean upper = autoPad.equals("SAME_UPPER");
          p[a] = upper ? small : total - small;
          p[a + 2] = upper ? total - small : small;
        }
        return p;
      }
      default -> throw cx.error("invalid auto_pad [" + autoPad + "]");
    }
  }

  private static int[] pair(ImportContext cx, String name, int def) {
    int[] v = cx.ints(name, new int[] {def, def});
    if (v.length != 2) {
      throw cx.error(name + " must have 2 values for a 2-D window, got " + v.length);
    }
    return v;
  }

  private static Expr conv(ImportContext cx) {
    TensorType x = require4d(cx, "Conv");
    TensorType w = cx.type(1);
    if (w.rank() != 4) {
      throw cx.error("weight must have rank 4, got " + w);
    }
    int[] kernel = cx.ints("kernel_shape", new int[] {w.dim(2), w.dim(3)});
    int[] strides = pair(cx, "strides", 1);
    int[] dilations = pair(cx, "dilations", 1);
    int[] pads = padding(cx, new int[] {x.dim(2), x.dim(3)}, kernel, strides, dilations);
    Attrs a = Attrs.of("strides", strides, "padding", pads, "dilation", dilations,
        "groups", cx.attrs().getInt("group", 1), "channels", w.dim(0), "kernel_size", kernel);
    Expr out = cx.call("nn.conv2d", a, cx.input(0), cx.input(1));
    return cx.hasInput(2) ? cx.call("nn.bias_add", Attrs.empty(), out, cx.input(2)) : out;
  }

  private static Expr convTranspose(ImportContext cx) {
    TensorType x = require4d(cx, "ConvTranspose");
    TensorType w = cx.type(1);
    if (w.rank() != 4) {
      throw cx.error("weight must have rank 4, got " + w);
    }
    int group = cx.attrs().getInt("group", 1);
    int[] kernel = cx.ints("kernel_shape", new int[] {w.dim(2), w.dim(3)});
    int[] strides = pair(cx, "strides", 1);
    int[] dilations = pair(cx, "dilations", 1);
    int[] outPad = pair(cx, "output_padding", 0);
    int[] in = {x.dim(2), x.dim(3)};
    String autoPad = cx.attrs().getString("auto_pad", "NOTSET");
    int[] outShape = cx.ints("output_shape", null);
    if (outShape == null && autoPad.startsWith("SAME")) {
      outShape = new int[] {in[0] * strides[0], in[1] * strides[1]};
    }
    int[] pads;
    if (outShape != null) {
      if (outShape.length == 4) {
        outShape = new int[] {outShape[2], outShape[3]};
      }
      pads = new int[4];
      for (int a = 0; a < 2; a++) {
        int total = strides[a] * (in[a] - 1) + outPad[a] + (kernel[a] - 1) * dilations[a] + 1 - outShape[a];
        if (total < 0) {
          outPad[a] -= total; // a larger output than the kernel reaches: extra zeros at the end
          total = 0;
        }
        boolean upper = autoPad.equals("SAME_UPPER");
        pads[a] = upper ? total / 2 : total - total / 2;
        pads[a + 2] = upper ? total - total / 2 : total / 2;
      }
    } else if (autoPad.equals("VALID")) {
      pads = new int[] {0, 0, 0, 0};
    } else {
      pads = cx.ints("pads", new int[] {0, 0, 0, 0});
    }
    Attrs a = Attrs.of("channels", w.dim(1) * group, "kernel_size", kernel, "strides", strides,
        "output_padding", outPad, "padding", pads, "dilation", dilations, "groups", group);
    Expr out = cx.call("nn.conv2d_transpose", a, cx.input(0), cx.input(1));
    return cx.hasInput(2) ? cx.call("nn.bias_add", Attrs.empty(), out, cx.input(2)) : out;
  }

  private static Expr batchNorm(ImportContext cx) {
    if (cx.attrs().getInt("training_mode", 0) != 0) {
      throw cx.unsupported("training_mode=1 is not supported (inference only)");
    }
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

  private static Expr pool(ImportContext cx, String op) {
    TensorType x = require4d(cx, cx.node().getOpType());
    if (cx.node().getOutputCount() > 1 && !cx.node().getOutput(1).isEmpty()) {
      throw cx.unsupported("the Indices output is not supported");
    }
    if (cx.attrs().getInt("storage_order", 0) != 0) {
      throw cx.unsupported("storage_order=1 is not supported");
    }
    int[] kernel = cx.ints("kernel_shape", null);
    if (kernel == null || kernel.length != 2) {
      throw cx.error("kernel_shape must have 2 values");
    }
    int[] strides = pair(cx, "strides", 1);
    int[] dilations = pair(cx, "dilations", 1);
    int[] pads = padding(cx, new int[] {x.dim(2), x.dim(3)}, kernel, strides, dilations);
    Attrs a = Attrs.of("pool_size", kernel, "strides", strides, "dilation", dilations, "padding", pads,
        "ceil_mode", cx.attrs().getInt("ceil_mode", 0) != 0);
    if (op.equals("nn.avg_pool2d")) {
      a = a.with("count_include_pad", cx.attrs().getInt("count_include_pad", 0) != 0);
    }
    return cx.call(op, a, cx.input(0));
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

  /** MatMul of 2-D operands, or an N-D left operand against a 2-D right one (flattened). */
  private static Expr matmul(ImportContext cx) {
    TensorType at = cx.type(0);
    TensorType bt = cx.type(1);
    if (bt.rank() != 2 || at.rank() < 2) {
      throw cx.unsupported("only MatMul of an N-D (N >= 2) tensor by a 2-D matrix is supported, got "
          + at + " x " + bt);
    }
    Expr b = cx.call("transpose", Attrs.of("axes", List.of(1L, 0L)), cx.input(1));
    Expr a = cx.input(0);
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
}
