package dev.kbyoc.op;

import dev.kbyoc.ir.AttrKind;
import dev.kbyoc.ir.AttrSpec;
import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Type;
import java.util.List;

/**
 * 2-D pooling with Relay's attributes (TVM v0.8 {@code MaxPool2DAttrs}, {@code AvgPool2DAttrs},
 * {@code GlobalPool2DAttrs}) and TVM's topi semantics, all {@link OpPattern#OUT_ELEMWISE_FUSABLE}:
 * <ul>
 *   <li>output size {@code (in + pad - dilated_pool) / stride + 1}, with {@code ceil_mode}
 *       rounding up (TVM adds {@code stride - 1} of extra bottom/right padding);
 *   <li>max pooling treats padding as the dtype's lowest value (a window of padding only yields
 *       it, as TVM's {@code min_value});
 *   <li>average pooling sums the window's in-bounds elements and divides by
 *       {@code pool_h * pool_w} when {@code count_include_pad}, else by the number of in-bounds
 *       elements (at least 1).
 * </ul>
 * Layouts: any permutation of NCHW (NCHW, NHWC, ...).
 */
public final class PoolOps {
  private PoolOps() {}

  static List<OpDef> defs() {
    return List.of(pool("nn.max_pool2d", false), pool("nn.avg_pool2d", true), globalAvgPool(), maxPoolWithArgmax());
  }

  /**
   * kbyoc extension (TVM v0.8 has no such op): {@code nn.max_pool2d_with_argmax}, NCHW
   * {@code nn.max_pool2d} returning the 2-tuple (values, int64 indices), where an index is the
   * flat position of the window's first maximum in the whole input: {@code (n * C + c) * H * W}
   * plus {@code h * W + w} ({@code storage_order=0}, row major) or {@code w * H + h}
   * ({@code storage_order=1}, column major), as ONNX MaxPool's Indices output. Pattern
   * {@link OpPattern#OPAQUE}.
   */
  private static OpDef maxPoolWithArgmax() {
    return OpDef.builder("nn.max_pool2d_with_argmax")
        .attr(new AttrSpec("pool_size", AttrKind.INTS, null))
        .attr(AttrSpec.ints("strides", 1, 1))
        .attr(AttrSpec.ints("dilation", 1, 1))
        .attr(AttrSpec.ints("padding", 0, 0))
        .attr(AttrSpec.string("layout", "NCHW"))
        .attr(AttrSpec.string("out_layout", ""))
        .attr(AttrSpec.bool("ceil_mode", false))
        .attr(AttrSpec.integer("storage_order", 0))
        .type((args, attrs) -> {
          if (attrs.getInt("storage_order") != 0 && attrs.getInt("storage_order") != 1) {
            throw new KbyocException("storage_order [" + attrs.getInt("storage_order") + "] must be 0 or 1");
          }
          if (!attrs.getString("layout").equals("NCHW")) {
            throw new KbyocException("layout [" + attrs.getString("layout") + "] is not supported (only NCHW)");
          }
          TensorType v = (TensorType) poolType(args, attrs);
          return dev.kbyoc.ir.TupleType.of(v, new TensorType(v.shape(), DType.INT64));
        })
        .kernel((args, attrs, out) -> {
          NDArray in = args.get(0).asTensor();
          TensorType vt = (TensorType) ((dev.kbyoc.ir.TupleType) out).fields().get(0);
          NDArray values = poolKernel(in, attrs, vt, false);
          NDArray idx = NDArray.zeros(DType.INT64, vt.shape());
          int[] is = in.shape();
          int[] os = vt.shape();
          int[] k = attrs.getInts("pool_size");
          int[] st = attrs.getInts("strides");
          int[] d = attrs.getInts("dilation");
          int[] p = Window2d.padding(attrs);
          for (int o = 0; o < values.size(); o++) {
            int[] at = Types.unravel(o, os);
            long best = -1;
            double max = 0;
            for (int ky = 0; ky < k[0]; ky++) {
              int iy = at[2] * st[0] - p[0] + ky * d[0];
              for (int kx = 0; kx < k[1]; kx++) {
                int ix = at[3] * st[1] - p[1] + kx * d[1];
                if (iy < 0 || iy >= is[2] || ix < 0 || ix >= is[3]) {
                  continue;
                }
                int flat = ((at[0] * is[1] + at[1]) * is[2] + iy) * is[3] + ix;
                if (best < 0 || in.getDouble(flat) > max) {
                  int plane = (at[0] * is[1] + at[1]) * is[2] * is[3];
                  best = plane + (attrs.getInt("storage_order") == 0 ? iy * is[3] + ix : ix * is[2] + iy);
                  max = in.getDouble(flat);
                }
              }
            }
            idx.setDouble(o, best);
          }
          return new dev.kbyoc.ir.TupleValue(List.of(values, idx));
        })
        .pattern(OpPattern.OPAQUE)
        .build();
  }

  private static OpDef pool(String name, boolean avg) {
    OpDef.Builder b = OpDef.builder(name)
        .attr(new AttrSpec("pool_size", AttrKind.INTS, null))
        .attr(AttrSpec.ints("strides", 1, 1))
        .attr(AttrSpec.ints("dilation", 1, 1))
        .attr(AttrSpec.ints("padding", 0, 0))
        .attr(AttrSpec.string("layout", "NCHW"))
        .attr(AttrSpec.string("out_layout", ""))
        .attr(AttrSpec.bool("ceil_mode", false));
    if (avg) {
      b.attr(AttrSpec.bool("count_include_pad", false));
    }
    return b.type(PoolOps::poolType)
        .kernel((args, attrs, out) -> poolKernel(args.get(0).asTensor(), attrs, (TensorType) out, avg))
        .pattern(OpPattern.OUT_ELEMWISE_FUSABLE)
        .build();
  }

  private static OpDef globalAvgPool() {
    return OpDef.builder("nn.global_avg_pool2d")
        .attr(AttrSpec.string("layout", "NCHW"))
        .attr(AttrSpec.string("out_layout", ""))
        .type((args, attrs) -> {
          TensorType t = data(args, attrs);
          Window2d.Layout l = Window2d.Layout.parse(attrs.getString("layout"), "layout");
          int[] s = t.shape();
          s[l.h()] = 1;
          s[l.w()] = 1;
          return new TensorType(s, t.dtype());
        })
        .kernel((args, attrs, out) -> globalAvgKernel(args.get(0).asTensor(), attrs, (TensorType) out))
        .pattern(OpPattern.OUT_ELEMWISE_FUSABLE)
        .build();
  }

  private static TensorType data(List<Type> args, Attrs attrs) {
    TensorType t = Types.tensor(args, 0);
    if (t.rank() != 4) {
      throw new KbyocException("data must be 4-D (" + attrs.getString("layout") + "), got " + t);
    }
    String ol = attrs.getString("out_layout");
    if (!ol.isEmpty() && !ol.equals(attrs.getString("layout"))) {
      throw new KbyocException("out_layout [" + ol + "] must be empty or equal to layout [" + attrs.getString("layout") + "]");
    }
    return t;
  }

  static Type poolType(List<Type> args, Attrs attrs) {
    TensorType t = data(args, attrs);
    Window2d.Layout l = Window2d.Layout.parse(attrs.getString("layout"), "layout");
    int[] k = Types.intsAtLeast(attrs, "pool_size", 2, 1);
    int[] s = Types.intsAtLeast(attrs, "strides", 2, 1);
    int[] d = Types.intsAtLeast(attrs, "dilation", 2, 1);
    int[] p = Window2d.padding(attrs);
    boolean ceil = attrs.getBool("ceil_mode");
    int[] shape = t.shape();
    shape[l.h()] = Window2d.outDim("height", shape[l.h()], p[0] + p[2], k[0], d[0], s[0], ceil);
    shape[l.w()] = Window2d.outDim("width", shape[l.w()], p[1] + p[3], k[1], d[1], s[1], ceil);
    return new TensorType(shape, t.dtype());
  }

  /** The lowest value of a dtype: max pooling's padding value. */
  static double lowest(DType dt) {
    return dt.lowest();
  }

  static NDArray poolKernel(NDArray in, Attrs attrs, TensorType outType, boolean avg) {
    Window2d.Layout l = Window2d.Layout.parse(attrs.getString("layout"), "layout");
    int[] is = in.shape();
    int[] os = outType.shape();
    int[] k = attrs.getInts("pool_size");
    int[] s = attrs.getInts("strides");
    int[] d = attrs.getInts("dilation");
    int[] p = Window2d.padding(attrs);
    boolean includePad = avg && attrs.getBool("count_include_pad");
    NDArray out = NDArray.zeros(outType.dtype(), os);
    for (int n = 0; n < os[l.n()]; n++) {
      for (int c = 0; c < os[l.c()]; c++) {
        for (int y = 0; y < os[l.h()]; y++) {
          for (int x = 0; x < os[l.w()]; x++) {
            double acc = avg ? 0 : lowest(in.dtype());
            int count = 0;
            for (int ky = 0; ky < k[0]; ky++) {
              int iy = y * s[0] - p[0] + ky * d[0];
              for (int kx = 0; kx < k[1]; kx++) {
                int ix = x * s[1] - p[1] + kx * d[1];
                if (iy < 0 || iy >= is[l.h()] || ix < 0 || ix >= is[l.w()]) {
                  continue;
                }
                double v = in.getDouble(l.offset(is, n, c, iy, ix));
                acc = avg ? acc + v : Math.max(acc, v);
                count++;
              }
            }
            if (avg) {
              acc /= includePad ? k[0] * k[1] : Math.max(count, 1);
            }
            out.setDouble(l.offset(os, n, c, y, x), acc);
          }
        }
      }
    }
    return out;
  }

  static NDArray globalAvgKernel(NDArray in, Attrs attrs, TensorType outType) {
    Window2d.Layout l = Window2d.Layout.parse(attrs.getString("layout"), "layout");
    int[] is = in.shape();
    int[] os = outType.shape();
    NDArray out = NDArray.zeros(outType.dtype(), os);
    for (int n = 0; n < is[l.n()]; n++) {
      for (int c = 0; c < is[l.c()]; c++) {
        double acc = 0;
        for (int y = 0; y < is[l.h()]; y++) {
          for (int x = 0; x < is[l.w()]; x++) {
            acc += in.getDouble(l.offset(is, n, c, y, x));
          }
        }
        out.setDouble(l.offset(os, n, c, 0, 0), acc / ((double) is[l.h()] * is[l.w()]));
      }
    }
    return out;
  }
}
