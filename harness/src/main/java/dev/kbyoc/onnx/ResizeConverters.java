package dev.kbyoc.onnx;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import java.util.List;
import java.util.Map;

/**
 * Resize (opset 10, 11, 13) and Upsample (opset 7..9) of NCHW tensors to {@code image.resize2d}
 * with a static output size, computed from constant {@code sizes} or {@code scales} (as
 * {@code floor(in * scale)}). Mode names map as in TVM v0.8: nearest -> nearest_neighbor,
 * linear -> linear, cubic -> cubic; Upsample and Resize-10 use the asymmetric coordinate mode,
 * nearest rounding down.
 */
final class ResizeConverters {
  private ResizeConverters() {}

  static void register(Map<String, Converter> m) {
    m.put("Resize", Converter.single(ResizeConverters::resize));
    m.put("Upsample", Converter.single(ResizeConverters::upsample));
  }

  private static String method(ImportContext cx) {
    String mode = cx.attrs().getString("mode", "nearest");
    return switch (mode) {
      case "nearest" -> "nearest_neighbor";
      case "linear", "bilinear" -> "linear";
      case "cubic" -> "cubic";
      default -> throw cx.error("invalid mode [" + mode + "]");
    };
  }

  private static TensorType input4d(ImportContext cx) {
    TensorType t = cx.type(0);
    if (t.rank() != 4) {
      throw cx.unsupported("only 2-D (rank-4 NCHW) resizing is supported, got " + t);
    }
    return t;
  }

  /** Output H and W from per-axis scales (N and C must stay unscaled). */
  private static int[] sizeFromScales(ImportContext cx, TensorType t, float[] scales) {
    if (scales.length != 4) {
      throw cx.error("scales has " + scales.length + " values, expected 4 for " + t);
    }
    if (scales[0] != 1f || scales[1] != 1f) {
      throw cx.unsupported("scaling the batch or channel axis is not supported");
    }
    return new int[] {(int) Math.floor(t.dim(2) * (double) scales[2]), (int) Math.floor(t.dim(3) * (double) scales[3])};
  }

  private static float[] floats(NDArray a) {
    float[] f = new float[a.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) a.getDouble(i);
    }
    return f;
  }

  private static Expr upsample(ImportContext cx) {
    TensorType t = input4d(cx);
    float[] scales = cx.opset() < 9 ? cx.attrs().getFloats("scales") : floats(cx.requireKnown(1, "scales"));
    if (scales == null) {
      throw cx.error("missing required attribute 'scales'");
    }
    String method = method(cx);
    if (method.equals("cubic")) {
      throw cx.error("Upsample has no cubic mode");
    }
    Attrs a = Attrs.of("size", sizeFromScales(cx, t, scales), "layout", "NCHW", "method", method,
        "coordinate_transformation_mode", "asymmetric", "rounding_method", "floor");
    return cx.call("image.resize2d", a, cx.input(0));
  }

  private static Expr resize(ImportContext cx) {
    TensorType t = input4d(cx);
    String method = method(cx);
    if (cx.opset() < 11) {
      int[] size = sizeFromScales(cx, t, floats(cx.requireKnown(1, "scales")));
      Attrs a = Attrs.of("size", size, "layout", "NCHW", "method", method,
          "coordinate_transformation_mode", "asymmetric", "rounding_method", "floor");
      return cx.call("image.resize2d", a, cx.input(0));
    }
    int[] size;
    NDArray sizes = cx.hasInput(3) ? cx.requireKnown(3, "sizes") : null;
    if (sizes != null && sizes.size() > 0) {
      if (sizes.size() != 4 || sizes.getLong(0) != t.dim(0) || sizes.getLong(1) != t.dim(1)) {
        throw cx.unsupported("sizes " + sizes + " must keep N and C of " + t);
      }
      size = new int[] {(int) sizes.getLong(2), (int) sizes.getLong(3)};
    } else {
      size = sizeFromScales(cx, t, floats(cx.requireKnown(2, "scales")));
    }
    String coord = cx.attrs().getString("coordinate_transformation_mode", "half_pixel");
    Attrs a = Attrs.of("size", size, "layout", "NCHW", "method", method,
        "coordinate_transformation_mode", coord,
        "rounding_method", cx.attrs().getString("nearest_mode", "round_prefer_floor"),
        "cubic_alpha", cx.attrs().getFloat("cubic_coeff_a", -0.75),
        "cubic_exclude", cx.attrs().getInt("exclude_outside", 0),
        "extrapolation_value", cx.attrs().getFloat("extrapolation_value", 0.0));
    if (coord.equals("tf_crop_and_resize")) {
      float[] roi = floats(cx.requireKnown(1, "roi"));
      if (roi.length != 8) {
        throw cx.error("roi has " + roi.length + " values, expected 8 for " + t);
      }
      a = a.with("roi", List.of((double) roi[2], (double) roi[3], (double) roi[6], (double) roi[7]));
    }
    return cx.call("image.resize2d", a, cx.input(0));
  }
}
