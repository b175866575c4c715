package dev.kbyoc.op;

import dev.kbyoc.ir.AttrKind;
import dev.kbyoc.ir.AttrSpec;
import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Type;
import java.util.Arrays;
import java.util.List;

/**
 * {@code nn.conv2d} and {@code nn.conv2d_transpose} with Relay's attributes (TVM v0.8
 * {@code Conv2DAttrs} / {@code Conv2DTransposeAttrs}, same names, order and defaults). Layouts:
 * data NCHW; conv2d kernels OIHW; transposed-conv kernels IOHW (as Relay's Python API writes
 * them) or OIHW. Both are {@link OpPattern#OUT_ELEMWISE_FUSABLE}. A float32 conv2d accumulates in
 * float32 in its canonical order (see {@link Kernel}); the other kernels accumulate in double; all
 * store into {@code out_dtype} (default: the data's dtype).
 */
public final class ConvOps {
  private ConvOps() {}

  static List<OpDef> defs() {
    return List.of(conv2d(), conv2dTranspose());
  }

  private static OpDef conv2d() {
    return OpDef.builder("nn.conv2d")
        .inputs(2)
        .attr(AttrSpec.ints("strides", 1, 1))
        .attr(AttrSpec.ints("padding", 0, 0))
        .attr(AttrSpec.ints("dilation", 1, 1))
        .attr(AttrSpec.integer("groups", 1))
        .attr(new AttrSpec("channels", AttrKind.INT, null))
        .attr(new AttrSpec("kernel_size", AttrKind.INTS, null))
        .attr(AttrSpec.string("data_layout", "NCHW"))
        .attr(AttrSpec.string("kernel_layout", "OIHW"))
        .attr(AttrSpec.string("out_layout", ""))
        .attr(AttrSpec.string("out_dtype", ""))
        .type(ConvOps::conv2dType)
        .kernel((args, attrs, out) -> conv2dKernel(args.get(0).asTensor(), args.get(1).asTensor(), attrs, (TensorType) out))
        .pattern(OpPattern.OUT_ELEMWISE_FUSABLE)
        .build();
  }

  private static OpDef conv2dTranspose() {
    return OpDef.builder("nn.conv2d_transpose")
        .inputs(2)
        .attr(new AttrSpec("channels", AttrKind.INT, null))
        .attr(new AttrSpec("kernel_size", AttrKind.INTS, null))
        .attr(AttrSpec.ints("strides", 1, 1))
        .attr(AttrSpec.ints("output_padding", 0, 0))
        .attr(AttrSpec.ints("padding", 0, 0))
        .attr(AttrSpec.ints("dilation", 1, 1))
        .attr(AttrSpec.integer("groups", 1))
        .attr(AttrSpec.string("data_layout", "NCHW"))
        .attr(AttrSpec.string("kernel_layout", "OIHW"))
        .attr(AttrSpec.string("out_layout", ""))
        .attr(AttrSpec.string("out_dtype", ""))
        .type(ConvOps::transposeType)
        .kernel((args, attrs, out) -> transposeKernel(args.get(0).asTensor(), args.get(1).asTensor(), attrs, (TensorType) out))
        .pattern(OpPattern.OUT_ELEMWISE_FUSABLE)
        .build();
  }

  /** Checks the layouts, ranks, dtypes and the common window attributes. */
  private static void common(TensorType data, TensorType weight, Attrs attrs, String... kernelLayouts) {
    String dl = attrs.getString("data_layout");
    String kl = attrs.getString("kernel_layout");
    String ol = attrs.getString("out_layout");
    if (!dl.equals("NCHW") || !Arrays.asList(kernelLayouts).contains(kl) || !(ol.isEmpty() || ol.equals("NCHW"))) {
      throw new KbyocException("only data_layout NCHW and kernel_layout " + String.join("/", kernelLayouts)
          + " are supported, got data_layout [" + dl + "] kernel_layout [" + kl + "] out_layout [" + ol + "]");
    }
    if (data.rank() != 4 || weight.rank() != 4) {
      throw new KbyocException("data and weight must be 4-D, got data " + data + " and weight " + weight);
    }
    Types.sameDtype(data, weight, "weight");
    Types.intsAtLeast(attrs, "strides", 2, 1);
    Types.intsAtLeast(attrs, "dilation", 2, 1);
    Window2d.padding(attrs);
    if (attrs.getLong("groups") < 1) {
      throw new KbyocException("attribute [groups] must be >= 1, got " + attrs.getLong("groups"));
    }
  }

  private static void checkKernelSize(Attrs attrs, int kh, int kw) {
    if (attrs.has("kernel_size")) {
      int[] ks = Types.ints(attrs, "kernel_size", 2);
      if (ks[0] != kh || ks[1] != kw) {
        throw new KbyocException("kernel_size " + Arrays.toString(ks) + " does not match weight spatial dims [" + kh
            + ", " + kw + "]");
      }
    }
  }

  static Type conv2dType(List<Type> args, Attrs attrs) {
    TensorType data = Types.tensor(args, 0);
    TensorType weight = Types.tensor(args, 1);
    common(data, weight, attrs, "OIHW");
    int groups = attrs.getInt("groups");
    int c = data.dim(1);
    int o = weight.dim(0);
    if (c % groups != 0 || c / groups != weight.dim(1)) {
      throw new KbyocException("data has " + c + " channels and groups=" + groups + ", so weight dim 1 must be "
          + (c % groups == 0 ? Integer.toString(c / groups) : c + "/" + groups) + ", got weight " + weight);
    }
    if (o % groups != 0) {
      throw new KbyocException("weight output channels " + o + " are not divisible by groups=" + groups);
    }
    if (attrs.has("channels") && attrs.getLong("channels") != o) {
      throw new KbyocException("channels=" + attrs.getLong("channels") + " does not match weight output channels " + o);
    }
    checkKernelSize(attrs, weight.dim(2), weight.dim(3));
    int[] s = attrs.getInts("strides");
    int[] d = attrs.getInts("dilation");
    int[] p = Window2d.padding(attrs);
    int oh = Window2d.outDim("height", data.dim(2), p[0] + p[2], weight.dim(2), d[0], s[0], false);
    int ow = Window2d.outDim("width", data.dim(3), p[1] + p[3], weight.dim(3), d[1], s[1], false);
    return new TensorType(new int[] {data.dim(0), o, oh, ow}, Types.outDtype(attrs, data.dtype()));
  }

  /**
   * Direct grouped convolution: out[n][o][y][x] = sum over the group's input channels and window
   * of in[n][c][y*sh - top + ky*dh][x*sw - left + kx*dw] * w[o][c - g*Ig][ky][kx], taps outside
   * the input skipped. The sum runs over input channels, then kernel rows, then kernel columns;
   * for float32 it is float32 fused multiply-adds in that order ({@link Kernel}), else double.
   */
  static NDArray conv2dKernel(NDArray in, NDArray w, Attrs attrs, TensorType outType) {
    int[] is = in.shape();
    int[] ws = w.shape();
    int[] os = outType.shape();
    int[] s = attrs.getInts("strides");
    int[] d = attrs.getInts("dilation");
    int[] p = Window2d.padding(attrs);
    int groups = attrs.getInt("groups");
    int inPerGroup = ws[1];
    int outPerGroup = ws[0] / groups;
    boolean f32 = Kernel.accumulatesInFloat(in, w, outType);
    NDArray out = NDArray.zeros(outType.dtype(), os);
    for (int n = 0; n < os[0]; n++) {
      for (int o = 0; o < os[1]; o++) {
        int g = o / outPerGroup;
        for (int y = 0; y < os[2]; y++) {
          for (int x = 0; x < os[3]; x++) {
            double acc = 0;
            float facc = 0f;
            for (int ic = 0; ic < inPerGroup; ic++) {
              int c = g * inPerGroup + ic;
              for (int ky = 0; ky < ws[2]; ky++) {
                int iy = y * s[0] - p[0] + ky * d[0];
                if (iy < 0 || iy >= is[2]) {
                  continue;
                }
                for (int kx = 0; kx < ws[3]; kx++) {
                  int ix = x * s[1] - p[1] + kx * d[1];
                  if (ix < 0 || ix >= is[3]) {
                    continue;
                  }
                  double a = in.getDouble(((n * is[1] + c) * is[2] + iy) * is[3] + ix);
                  double b = w.getDouble(((o * ws[1] + ic) * ws[2] + ky) * ws[3] + kx);
                  if (f32) {
                    facc = Math.fma((float) a, (float) b, facc);
                  } else {
                    acc += a * b;
                  }
                }
              }
            }
            out.setDouble(((n * os[1] + o) * os[2] + y) * os[3] + x, f32 ? facc : acc);
          }
        }
      }
    }
    return out;
  }

  /** The weight's dims as {in channels, out channels per group, kh, kw} for its kernel layout. */
  private static int[] iohw(int[] ws, String kernelLayout) {
    return kernelLayout.equals("IOHW") ? ws.clone() : new int[] {ws[1], ws[0], ws[2], ws[3]};
  }

  static Type transposeType(List<Type> args, Attrs attrs) {
    TensorType data = Types.tensor(args, 0);
    TensorType weight = Types.tensor(args, 1);
    common(data, weight, attrs, "IOHW", "OIHW");
    int groups = attrs.getInt("groups");
    int[] k = iohw(weight.shape(), attrs.getString("kernel_layout"));
    int c = data.dim(1);
    if (k[0] != c) {
      throw new KbyocException("data has " + c + " channels but weight " + weight + " (" + attrs.getString("kernel_layout")
          + ") has " + k[0] + " input channels");
    }
    if (c % groups != 0) {
      throw new KbyocException("data channels " + c + " are not divisible by groups=" + groups);
    }
    int channels = k[1] * groups;
    if (attrs.has("channels") && attrs.getLong("channels") != channels) {
      throw new KbyocException("channels=" + attrs.getLong("channels") + " does not match weight: " + k[1]
          + " output channels per group x groups=" + groups);
    }
    checkKernelSize(attrs, k[2], k[3]);
    int[] s = attrs.getInts("strides");
    int[] d = attrs.getInts("dilation");
    int[] op = Types.intsAtLeast(attrs, "output_padding", 2, 0);
    for (int i = 0; i < 2; i++) {
      if (op[i] >= s[i]) {
        throw new KbyocException("output_padding " + Arrays.toString(op) + " must be smaller than strides "
            + Arrays.toString(s));
      }
    }
    int[] p = Window2d.padding(attrs);
    int oh = s[0] * (data.dim(2) - 1) + (k[2] - 1) * d[0] + 1 - p[0] - p[2] + op[0];
    int ow = s[1] * (data.dim(3) - 1) + (k[3] - 1) * d[1] + 1 - p[1] - p[3] + op[1];
    if (oh <= 0 || ow <= 0) {
      throw new KbyocException("padding " + Arrays.toString(p) + " leaves no output (height " + oh + ", width " + ow + ")");
    }
    return new TensorType(new int[] {data.dim(0), channels, oh, ow}, Types.outDtype(attrs, data.dtype()));
  }

  /**
   * Transposed convolution as a scatter: each input pixel (n, c, iy, ix) adds
   * in * w[c][og][ky][kx] to out[n][g*Og + og][iy*sh - top + ky*dh][ix*sw - left + kx*dw] when
   * that lands inside the output (g is c's group).
   */
  static NDArray transposeKernel(NDArray in, NDArray w, Attrs attrs, TensorType outType) {
    int[] is = in.shape();
    int[] ws = w.shape();
    boolean iohwLayout = attrs.getString("kernel_layout").equals("IOHW");
    int[] k = iohw(ws, attrs.getString("kernel_layout"));
    int[] os = outType.shape();
    int[] s = attrs.getInts("strides");
    int[] d = attrs.getInts("dilation");
    int[] p = Window2d.padding(attrs);
    int groups = attrs.getInt("groups");
    int inPerGroup = is[1] / groups;
    double[] acc = new double[os[0] * os[1] * os[2] * os[3]];
    for (int n = 0; n < is[0]; n++) {
      for (int c = 0; c < is[1]; c++) {
        int g = c / inPerGroup;
        for (int iy = 0; iy < is[2]; iy++) {
          for (int ix = 0; ix < is[3]; ix++) {
            double v = in.getDouble(((n * is[1] + c) * is[2] + iy) * is[3] + ix);
            for (int og = 0; og < k[1]; og++) {
              int o = g * k[1] + og;
              for (int ky = 0; ky < k[2]; ky++) {
                int y = iy * s[0] - p[0] + ky * d[0];
                if (y < 0 || y >= os[2]) {
                  continue;
                }
                for (int kx = 0; kx < k[3]; kx++) {
                  int x = ix * s[1] - p[1] + kx * d[1];
                  if (x < 0 || x >= os[3]) {
                    continue;
                  }
                  int wi = iohwLayout ? ((c * ws[1] + og) * ws[2] + ky) * ws[3] + kx
                      : ((og * ws[1] + c) * ws[2] + ky) * ws[3] + kx;
                  acc[((n * os[1] + o) * os[2] + y) * os[3] + x] += v * w.getDouble(wi);
                }
              }
            }
          }
        }
      }
    }
    DType dt = outType.dtype();
    return NDArray.fromDoubles(dt, acc, os);
  }
}
