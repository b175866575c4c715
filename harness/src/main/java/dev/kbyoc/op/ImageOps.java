package dev.kbyoc.op;

import dev.kbyoc.ir.AttrKind;
import dev.kbyoc.ir.AttrSpec;
import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Type;
import java.util.List;

/**
 * {@code image.resize2d} with TVM v0.8 {@code Resize2DAttrs} and topi's semantics: each output
 * coordinate maps to an input coordinate by {@code coordinate_transformation_mode} (computed in
 * float32 as TVM does); {@code nearest_neighbor} rounds it by {@code rounding_method} (empty means
 * {@code round} for {@code align_corners}, else {@code floor}), {@code linear} interpolates the
 * four neighbours ({@code a * (1 - t) + b * t}, rows then columns), {@code cubic} the sixteen
 * neighbours with Keys' weights for {@code cubic_alpha} (with {@code cubic_exclude=1} the weights
 * of neighbours outside the image are dropped and the rest renormalised); input indices are
 * clamped to the image. {@code tf_crop_and_resize} maps into the {@code roi}
 * [start_h, start_w, end_h, end_w] (fractions of the image) and yields {@code extrapolation_value}
 * outside the image.
 *
 * <p>kbyoc extension: {@code scale} [scale_h, scale_w], when set, replaces out/in as the
 * coordinate scale (ONNX Resize maps with the given scales even when {@code in * scale} is
 * fractional and the size was floored; TVM cannot express that). Pattern
 * {@link OpPattern#INJECTIVE}.
 */
public final class ImageOps {
  private static final List<String> MODES = List.of("half_pixel", "align_corners", "asymmetric", "pytorch_half_pixel",
      "tf_half_pixel_for_nn", "tf_crop_and_resize");
  private static final List<String> ROUNDING =
      List.of("", "round", "round_prefer_floor", "round_prefer_ceil", "floor", "ceil");

  private ImageOps() {}

  static List<OpDef> defs() {
    return List.of(resize2d());
  }

  private static OpDef resize2d() {
    return OpDef.builder("image.resize2d")
        .attr(new AttrSpec("size", AttrKind.INTS, null))
        .attr(new AttrSpec("roi", AttrKind.FLOATS, null))
        .attr(AttrSpec.string("layout", "NCHW"))
        .attr(AttrSpec.string("method", "linear"))
        .attr(AttrSpec.string("coordinate_transformation_mode", "half_pixel"))
        .attr(AttrSpec.string("rounding_method", "round"))
        .attr(AttrSpec.real("cubic_alpha", -0.5))
        .attr(AttrSpec.integer("cubic_exclude", 0))
        .attr(AttrSpec.real("extrapolation_value", 0.0))
        .attr(AttrSpec.string("out_dtype", ""))
        .attr(new AttrSpec("scale", AttrKind.FLOATS, null))
        .type(ImageOps::resizeType)
        .kernel((args, attrs, out) -> resizeKernel(args.get(0).asTensor(), attrs, (TensorType) out))
        .pattern(OpPattern.INJECTIVE)
        .build();
  }

  static Type resizeType(List<Type> args, Attrs attrs) {
    TensorType t = Types.tensor(args, 0);
    Window2d.Layout l = Window2d.Layout.parse(attrs.getString("layout"), "layout");
    if (t.rank() != 4) {
      throw new KbyocException("data must be 4-D (" + l.name() + "), got " + t);
    }
    int[] size = Types.intsAtLeast(attrs, "size", 2, 1);
    String method = attrs.getString("method");
    if (!List.of("nearest_neighbor", "linear", "cubic").contains(method)) {
      throw new KbyocException("method must be nearest_neighbor, linear or cubic, got [" + method + "]");
    }
    String mode = attrs.getString("coordinate_transformation_mode");
    if (!MODES.contains(mode)) {
      throw new KbyocException("coordinate_transformation_mode must be one of " + MODES + ", got [" + mode + "]");
    }
    if (!ROUNDING.contains(attrs.getString("rounding_method"))) {
      throw new KbyocException("rounding_method must be one of " + ROUNDING + ", got [" + attrs.getString("rounding_method") + "]");
    }
    if (mode.equals("tf_crop_and_resize") && (!attrs.has("roi") || attrs.getDoubles("roi").length != 4)) {
      throw new KbyocException("tf_crop_and_resize needs [roi] with 4 values [start_h, start_w, end_h, end_w]");
    }
    if (attrs.has("scale")) {
      double[] sc = attrs.getDoubles("scale");
      if (sc.length != 2 || !(sc[0] > 0) || !(sc[1] > 0)) {
        throw new KbyocException("attribute [scale] must be 2 positive values, got " + java.util.Arrays.toString(sc));
      }
    }
    int[] s = t.shape();
    s[l.h()] = size[0];
    s[l.w()] = size[1];
    return new TensorType(s, Types.outDtype(attrs, t.dtype()));
  }

  /** Per-axis coordinate parameters: the kbyoc scale (0 when unset) and the roi start/end. */
  record Axis(float scale, float roiStart, float roiEnd) {
    static final Axis PLAIN = new Axis(0, 0, 1);
  }

  /** Input coordinate of output coordinate {@code x} (float32 arithmetic, as topi's {@code get_inx}). */
  static float inputCoord(int x, int in, int out, String mode) {
    return inputCoord(x, in, out, mode, Axis.PLAIN);
  }

  static float inputCoord(int x, int in, int out, String mode, Axis a) {
    float scale = a.scale() > 0 ? 1f / a.scale() : (float) in / (float) out;
    return switch (mode) {
      case "half_pixel" -> (x + 0.5f) * scale - 0.5f;
      case "align_corners" -> {
        float outW = a.scale() > 0 ? a.scale() * in : out;
        yield outW > 1 ? (float) (in - 1) / (outW - 1) * x : 0f;
      }
      case "asymmetric" -> scale * x;
      case "pytorch_half_pixel" -> out > 1 ? (x + 0.5f) * scale - 0.5f : 0f;
      case "tf_half_pixel_for_nn" -> (x + 0.5f) * scale;
      case "tf_crop_and_resize" -> out > 1
          ? a.roiStart() * (in - 1) + x * (a.roiEnd() - a.roiStart()) * (in - 1) / (float) (out - 1)
          : 0.5f * (a.roiStart() + a.roiEnd()) * (in - 1);
      default -> throw new KbyocException("unknown coordinate_transformation_mode [" + mode + "]");
    };
  }

  /** topi's {@code get_closest_index}: {@code round} is half away from zero (llvm.round). */
  static int closest(float v, String rounding) {
    return (int) switch (rounding) {
      case "round" -> Math.signum(v) * Math.floor(Math.abs(v) + 0.5);
      case "round_prefer_floor" -> Math.ceil(v - 0.5f);
      case "round_prefer_ceil" -> Math.floor(v + 0.5f);
      case "floor" -> Math.floor(v + 1e-5f);
      case "ceil" -> Math.ceil(v - 1e-5f);
      default -> throw new KbyocException("unknown rounding_method [" + rounding + "]");
    };
  }

  private static int clamp(int v, int n) {
    return Math.max(0, Math.min(v, n - 1));
  }

  /**
   * The four input indices (clamped) and weights (topi's {@code _cubic_spline_weights}) that
   * interpolate coordinate {@code f} on an axis of length {@code n}.
   */
  static double[][] cubicTaps(float f, int n, double alpha, boolean exclude) {
    int f0 = (int) Math.floor(f);
    double t = f - f0;
    double t2 = t * t;
    double t3 = t2 * t;
    double[] w = {alpha * (t3 - 2 * t2 + t), (alpha + 2) * t3 - (3 + alpha) * t2 + 1,
        -(alpha + 2) * t3 + (3 + 2 * alpha) * t2 - alpha * t, -alpha * t3 + alpha * t2};
    double[] idx = new double[4];
    double sum = 0;
    for (int k = 0; k < 4; k++) {
      int i = f0 - 1 + k;
      idx[k] = clamp(i, n);
      if (exclude && (i < 0 || i >= n)) {
        w[k] = 0;
      }
      sum += w[k];
    }
    if (exclude) {
      for (int k = 0; k < 4; k++) {
        w[k] /= sum;
      }
    }
    return new double[][] {idx, w};
  }

  static NDArray resizeKernel(NDArray in, Attrs attrs, TensorType outType) {
    Window2d.Layout l = Window2d.Layout.parse(attrs.getString("layout"), "layout");
    int[] is = in.shape();
    int[] os = outType.shape();
    int ih = is[l.h()];
    int iw = is[l.w()];
    String mode = attrs.getString("coordinate_transformation_mode");
    String method = attrs.getString("method");
    String rounding = attrs.getString("rounding_method");
    if (rounding.isEmpty()) {
      rounding = mode.equals("align_corners") ? "round" : "floor";
    }
    double[] roi = attrs.has("roi") ? attrs.getDoubles("roi") : new double[] {0, 0, 1, 1};
    double[] sc = attrs.has("scale") ? attrs.getDoubles("scale") : new double[] {0, 0};
    Axis ay = new Axis((float) sc[0], (float) roi[0], (float) roi[2]);
    Axis ax = new Axis((float) sc[1], (float) roi[1], (float) roi[3]);
    boolean crop = mode.equals("tf_crop_and_resize");
    double extrapolation = attrs.getDouble("extrapolation_value");
    double alpha = attrs.getDouble("cubic_alpha");
    boolean exclude = attrs.getLong("cubic_exclude") != 0;
    NDArray out = NDArray.zeros(outType.dtype(), os);
    for (int n = 0; n < os[l.n()]; n++) {
      for (int c = 0; c < os[l.c()]; c++) {
        for (int y = 0; y < os[l.h()]; y++) {
          float fy = inputCoord(y, ih, os[l.h()], mode, ay);
          for (int x = 0; x < os[l.w()]; x++) {
            float fx = inputCoord(x, iw, os[l.w()], mode, ax);
            double v;
            if (crop && (fy < 0 || fy > ih - 1 || fx < 0 || fx > iw - 1)) {
              v = extrapolation;
            } else if (method.equals("nearest_neighbor")) {
              v = in.getDouble(l.offset(is, n, c, clamp(closest(fy, rounding), ih), clamp(closest(fx, rounding), iw)));
            } else if (method.equals("linear")) {
              int y0 = (int) Math.floor(fy);
              int x0 = (int) Math.floor(fx);
              double ty = fy - y0;
              double tx = fx - x0;
              double p00 = in.getDouble(l.offset(is, n, c, clamp(y0, ih), clamp(x0, iw)));
              double p01 = in.getDouble(l.offset(is, n, c, clamp(y0, ih), clamp(x0 + 1, iw)));
              double p10 = in.getDouble(l.offset(is, n, c, clamp(y0 + 1, ih), clamp(x0, iw)));
              double p11 = in.getDouble(l.offset(is, n, c, clamp(y0 + 1, ih), clamp(x0 + 1, iw)));
              double top = p00 * (1 - tx) + p01 * tx;
              double bottom = p10 * (1 - tx) + p11 * tx;
              v = top * (1 - ty) + bottom * ty;
            } else {
              double[][] ty = cubicTaps(fy, ih, alpha, exclude);
              double[][] tx = cubicTaps(fx, iw, alpha, exclude);
              v = 0;
              for (int i = 0; i < ty[0].length; i++) {
                double row = 0;
                for (int j = 0; j < tx[0].length; j++) {
                  row += tx[1][j] * in.getDouble(l.offset(is, n, c, (int) ty[0][i], (int) tx[0][j]));
                }
                v += ty[1][i] * row;
              }
            }
            out.setDouble(l.offset(os, n, c, y, x), v);
          }
        }
      }
    }
    return out;
  }
}
