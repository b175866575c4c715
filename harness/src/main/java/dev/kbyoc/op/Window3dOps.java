package dev.kbyoc.op;

import dev.kbyoc.ir.AttrKind;
import dev.kbyoc.ir.AttrSpec;
import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Type;
import java.util.Arrays;
import java.util.List;

/**
 * 3-D window ops on NCDHW data with TVM v0.8's attributes ({@code MaxPool3DAttrs},
 * {@code AvgPool3DAttrs}, {@code Conv3DTransposeAttrs}) and the same rules as their 2-D
 * counterparts ({@link PoolOps}, {@link ConvOps}): {@code nn.max_pool3d}, {@code nn.avg_pool3d}
 * and {@code nn.conv3d_transpose} (weights {@code IODHW} = [C, O/groups, kd, kh, kw], as ONNX
 * stores them, or {@code OIDHW} = [O/groups, C, kd, kh, kw]). Padding has 1, 3 (front = back,
 * top = bottom, left = right) or 6 values (front, top, left, back, bottom, right). All
 * {@link OpPattern#OUT_ELEMWISE_FUSABLE}.
 */
public final class Window3dOps {
  private Window3dOps() {}

  static List<OpDef> defs() {
    return List.of(pool("nn.max_pool3d", false), pool("nn.avg_pool3d", true), conv3dTranspose());
  }

  /** Padding as 6 values (begin d, h, w, end d, h, w). */
  static int[] padding6(Attrs attrs) {
    int[] p = Types.requireInts(attrs, "padding");
    for (int v : p) {
      if (v < 0) {
        throw new KbyocException("attribute [padding] must be non-negative, got " + Arrays.toString(p));
      }
    }
    return switch (p.length) {
      case 1 -> new int[] {p[0], p[0], p[0], p[0], p[0], p[0]};
      case 3 -> new int[] {p[0], p[1], p[2], p[0], p[1], p[2]};
      case 6 -> p.clone();
      default -> throw new KbyocException("attribute [padding] must have 1, 3 or 6 values, got " + Arrays.toString(p));
    };
  }

  private static TensorType data(List<Type> args, Attrs attrs, String layoutAttr) {
    TensorType t = Types.tensor(args, 0);
    if (t.rank() != 5) {
      throw new KbyocException("data must be 5-D (NCDHW), got " + t);
    }
    if (!attrs.getString(layoutAttr).equals("NCDHW")) {
      throw new KbyocException(layoutAttr + " [" + attrs.getString(layoutAttr) + "] is not supported (only NCDHW)");
    }
    return t;
  }

  private static OpDef pool(String name, boolean avg) {
    OpDef.Builder b = OpDef.builder(name)
        .attr(new AttrSpec("pool_size", AttrKind.INTS, null))
        .attr(AttrSpec.ints("strides", 1, 1, 1))
        .attr(AttrSpec.ints("dilation", 1, 1, 1))
        .attr(AttrSpec.ints("padding", 0, 0, 0))
        .attr(AttrSpec.string("layout", "NCDHW"))
        .attr(AttrSpec.string("out_layout", ""))
        .attr(AttrSpec.bool("ceil_mode", false));
    if (avg) {
      b.attr(AttrSpec.bool("count_include_pad", false));
    }
    return b.type((args, attrs) -> {
      TensorType t = data(args, attrs, "layout");
      int[] k = Types.intsAtLeast(attrs, "pool_size", 3, 1);
      int[] s = Types.intsAtLeast(attrs, "strides", 3, 1);
      int[] d = Types.intsAtLeast(attrs, "dilation", 3, 1);
      int[] p = padding6(attrs);
      int[] shape = t.shape();
      for (int a = 0; a < 3; a++) {
        shape[2 + a] = Window2d.outDim("axis " + (2 + a), shape[2 + a], p[a] + p[a + 3], k[a], d[a], s[a], attrs.getBool("ceil_mode"));
      }
      return new TensorType(shape, t.dtype());
    }).kernel((args, attrs, out) -> poolKernel(args.get(0).asTensor(), attrs, (TensorType) out, avg))
        .pattern(OpPattern.OUT_ELEMWISE_FUSABLE)
        .build();
  }

  /** Max or average over each window; padding counts as the lowest value / per count_include_pad. */
  static NDArray poolKernel(NDArray in, Attrs attrs, TensorType outType, boolean avg) {
    int[] is = in.shape();
    int[] os = outType.shape();
    int[] k = attrs.getInts("pool_size");
    int[] s = attrs.getInts("strides");
    int[] d = attrs.getInts("dilation");
    int[] p = padding6(attrs);
    boolean includePad = avg && attrs.getBool("count_include_pad");
    NDArray out = NDArray.zeros(outType.dtype(), os);
    for (int o = 0; o < out.size(); o++) {
      int[] idx = Types.unravel(o, os);
      double acc = avg ? 0 : in.dtype().lowest();
      int count = 0;
      for (int kz = 0; kz < k[0]; kz++) {
        int iz = idx[2] * s[0] - p[0] + kz * d[0];
        for (int ky = 0; ky < k[1]; ky++) {
          int iy = idx[3] * s[1] - p[1] + ky * d[1];
          for (int kx = 0; kx < k[2]; kx++) {
            int ix = idx[4] * s[2] - p[2] + kx * d[2];
            if (iz < 0 || iz >= is[2] || iy < 0 || iy >= is[3] || ix < 0 || ix >= is[4]) {
              continue;
            }
            double v = in.getDouble((((idx[0] * is[1] + idx[1]) * is[2] + iz) * is[3] + iy) * is[4] + ix);
            acc = avg ? acc + v : Math.max(acc, v);
            count++;
          }
        }
      }
      if (avg) {
        acc /= includePad ? k[0] * k[1] * k[2] : Math.max(count, 1);
      }
      out.setDouble(o, acc);
    }
    return out;
  }

  private static OpDef conv3dTranspose() {
    return OpDef.builder("nn.conv3d_transpose")
        .inputs(2)
        .attr(new AttrSpec("channels", AttrKind.INT, null))
        .attr(new AttrSpec("kernel_size", AttrKind.INTS, null))
        .attr(AttrSpec.ints("strides", 1, 1, 1))
        .attr(AttrSpec.ints("padding", 0, 0, 0))
        .attr(AttrSpec.ints("output_padding", 0, 0, 0))
        .attr(AttrSpec.ints("dilation", 1, 1, 1))
        .attr(AttrSpec.integer("groups", 1))
        .attr(AttrSpec.string("data_layout", "NCDHW"))
        .attr(AttrSpec.string("kernel_layout", "OIDHW"))
        .attr(AttrSpec.string("out_layout", ""))
        .attr(AttrSpec.string("out_dtype", ""))
        .type(Window3dOps::transposeType)
        .kernel((args, attrs, out) -> transposeKernel(args.get(0).asTensor(), args.get(1).asTensor(), attrs, (TensorType) out))
        .pattern(OpPattern.OUT_ELEMWISE_FUSABLE)
        .build();
  }

  /** Weight dims as [C, O/groups, kd, kh, kw] whatever the kernel layout. */
  private static int[] iodhw(int[] ws, String layout) {
    return layout.equals("IODHW") ? ws.clone() : new int[] {ws[1], ws[0], ws[2], ws[3], ws[4]};
  }

  static Type transposeType(List<Type> args, Attrs attrs) {
    TensorType data = data(args, attrs, "data_layout");
    TensorType w = Types.tensor(args, 1);
    String kl = attrs.getString("kernel_layout");
    if (!kl.equals("IODHW") && !kl.equals("OIDHW")) {
      throw new KbyocException("kernel_layout [" + kl + "] must be IODHW or OIDHW");
    }
    if (w.rank() != 5) {
      throw new KbyocException("weight must be 5-D, got " + w);
    }
    Types.sameDtype(data, w, "weight");
    int groups = attrs.getInt("groups");
    int[] k = iodhw(w.shape(), kl);
    if (groups < 1 || k[0] != data.dim(1) || data.dim(1) % groups != 0) {
      throw new KbyocException("data " + data + " does not match weight " + w + " (" + kl + ") with groups=" + groups);
    }
    int channels = k[1] * groups;
    if (attrs.has("channels") && attrs.getLong("channels") != channels) {
      throw new KbyocException("channels=" + attrs.getLong("channels") + " does not match weight " + w + " x groups=" + groups);
    }
    if (attrs.has("kernel_size") && !Arrays.equals(attrs.getInts("kernel_size"), Arrays.copyOfRange(k, 2, 5))) {
      throw new KbyocException("kernel_size " + Arrays.toString(attrs.getInts("kernel_size")) + " does not match weight " + w);
    }
    int[] s = Types.intsAtLeast(attrs, "strides", 3, 1);
    int[] d = Types.intsAtLeast(attrs, "dilation", 3, 1);
    int[] op = Types.intsAtLeast(attrs, "output_padding", 3, 0);
    int[] p = padding6(attrs);
    int[] shape = {data.dim(0), channels, 0, 0, 0};
    for (int a = 0; a < 3; a++) {
      if (op[a] >= s[a]) {
        throw new KbyocException("output_padding " + Arrays.toString(op) + " must be smaller than strides " + Arrays.toString(s));
      }
      shape[2 + a] = s[a] * (data.dim(2 + a) - 1) + (k[2 + a] - 1) * d[a] + 1 - p[a] - p[a + 3] + op[a];
      if (shape[2 + a] <= 0) {
        throw new KbyocException("padding " + Arrays.toString(p) + " leaves no output on axis " + (2 + a));
      }
    }
    return new TensorType(shape, Types.outDtype(attrs, data.dtype()));
  }

  /** A scatter: input voxel (n, c, z, y, x) adds in * w[c][og][kz][ky][kx] to its output position. */
  static NDArray transposeKernel(NDArray in, NDArray w, Attrs attrs, TensorType outType) {
    int[] is = in.shape();
    int[] ws = w.shape();
    boolean io = attrs.getString("kernel_layout").equals("IODHW");
    int[] k = iodhw(ws, attrs.getString("kernel_layout"));
    int[] os = outType.shape();
    int[] s = attrs.getInts("strides");
    int[] d = attrs.getInts("dilation");
    int[] p = padding6(attrs);
    int inPerGroup = is[1] / attrs.getInt("groups");
    int kvol = k[2] * k[3] * k[4];
    double[] acc = new double[Math.toIntExact(NDArray.checkedSize(os))];
    for (int i = 0; i < in.size(); i++) {
      int[] idx = Types.unravel(i, is);
      int c = idx[1];
      double v = in.getDouble(i);
      for (int og = 0; og < k[1]; og++) {
        int o = c / inPerGroup * k[1] + og;
        for (int t = 0; t < kvol; t++) {
          int[] kk = Types.unravel(t, new int[] {k[2], k[3], k[4]});
          int[] pos = new int[3];
          boolean inside = true;
          for (int a = 0; a < 3 && inside; a++) {
            pos[a] = idx[2 + a] * s[a] - p[a] + kk[a] * d[a];
            inside = pos[a] >= 0 && pos[a] < os[2 + a];
          }
          if (!inside) {
            continue;
          }
          int wi = (io ? c * ws[1] + og : og * ws[1] + c) * kvol + t;
          acc[Types.ravel(new int[] {idx[0], o, pos[0], pos[1], pos[2]}, os)] += v * w.getDouble(wi);
        }
      }
    }
    return NDArray.fromDoubles(outType.dtype(), acc, os);
  }
}
