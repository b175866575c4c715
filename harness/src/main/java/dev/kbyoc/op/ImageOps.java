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
 * four neighbours ({@code a * (1 - t) + b * t}, rows then columns); input indices are clamped to
 * the image. Cubic is not supported. Pattern {@link OpPattern#INJECTIVE}.
 */
public final class ImageOps {
  private static final List<String> MODES =
      List.of("half_pixel", "align_corners", "asymmetric", "pytorch_half_pixel", "tf_half_pixel_for_nn");
  private static final List<String> ROUNDING =
      List.of("", "round", "round_prefer_floor", "round_prefer_ceil", "floor", "ceil");

  private ImageOps() {}

  static List<OpDef> defs() {
    return List.of(resize2d());
  }

  private static OpDef resize2d() {
    return OpDef.builder("image.resize2d")
        .attr(new AttrSpec("size", AttrKind.INTS, null))
        .attr(AttrSpec.string("layout", "NCHW"))
        .attr(AttrSpec.string("method", "linear"))
        .attr(AttrSpec.string("coordinate_transformation_mode", "half_pixel"))
        .attr(AttrSpec.string("rounding_method", "round"))
        .attr(AttrSpec.real("cubic_alpha", -0.5))
        .attr(AttrSpec.integer("cubic_exclude", 0))
        .attr(AttrSpec.string("out_dtype", ""))
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
    if (!method.equals("nearest_neighbor") && !method.equals("linear")) {
      throw new KbyocException("method must be nearest_neighbor or linear, got [" + method + "]");
    }
    String mode = attrs.getString("coordinate_transformation_mode");
    if (!MODES.contains(mode)) {
      throw new KbyocException("coordinate_transformation_mode must be one of " + MODES + ", got [" + mode + "]");
    }
    if (!ROUNDING.contains(attrs.getString("rounding_method"))) {
      throw new KbyocException("rounding_method must be one of " + ROUNDING + ", got [" + attrs.getString("rounding_method") + "]");
    }
    int[] s = t.shape();
    s[l.h()] = size[0];
    s[l.w()] = size[1];
    return new TensorType(s, Types.outDtype(attrs, t.dtype()));
  }

  /** Input coordinate of output coordinate {@code x} (float32 arithmetic, as topi's {@code get_inx}). */
  static float inputCoord(int x, int in, int out, String mode) {
    float scale = (float) in / (float) out;
    return switch (mode) {
      case "half_pixel" -> (x + 0.5f) * scale - 0.5f;
      case "align_corners" -> out > 1 ? (float) (in - 1) / (out - 1) * x : 0f;
      case "asymmetric" -> scale * x;
      case "pytorch_half_pixel" -> out > 1 ? (x + 0.5f) * scale - 0.5f : 0f;
      case "tf_half_pixel_for_nn" -> (x + 0.5f) * scale;
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

  static NDArray resizeKernel(NDArray in, Attrs attrs, TensorType outType) {
    Window2d.Layout l = Window2d.Layout.parse(attrs.getString("layout"), "layout");
    int[] is = in.shape();
    int[] os = outType.shape();
    int ih = is[l.h()];
    int iw = is[l.w()];
    String mode = attrs.getString("coordinate_transformation_mode");
    boolean nearest = attrs.getString("method").equals("nearest_neighbor");
    String rounding = attrs.getString("rounding_method");
    if (rounding.isEmpty()) {
      rounding = mode.equals("align_corners") ? "round" : "floor";
    }
    NDArray out = NDArray.zeros(outType.dtype(), os);
    for (int n = 0; n < os[l.n()]; n++) {
      for (int c = 0; c < os[l.c()]; c++) {
        for (int y = 0; y < os[l.h()]; y++) {
          float fy = inputCoord(y, ih, os[l.h()], mode);
          for (int x = 0; x < os[l.w()]; x++) {
            float fx = inputCoord(x, iw, os[l.w()], mode);
            double v;
            if (nearest) {
              v = in.getDouble(l.offset(is, n, c, clamp(closest(fy, rounding), ih), clamp(closest(fx, rounding), iw)));
            } else {
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
            }
            out.setDouble(l.offset(os, n, c, y, x), v);
          }
        }
      }
    }
    return out;
  }
}
