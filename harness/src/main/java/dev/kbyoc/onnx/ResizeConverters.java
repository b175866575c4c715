package dev.kbyoc.onnx;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import java.util.Map;

/**
 * Resize (opset 10, 11, 13) and Upsample (opset 7..9) of NCHW tensors to {@code image.resize2d}
 * with a static output size, computed from constant {@code sizes} or {@code scales} (as
 * {@code floor(in * scale)}). Mode names map as in TVM v0.8: nearest -> nearest_neighbor,
 * linear -> linear (cubic and tf_crop_and_resize are unsupported); Upsample and Resize-10 use the asymmetric coordinate mode,
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
      case "cubic" -> throw cx.unsupported("cubic resizing is not supported");
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
    int[] size = new int[2];
    for (int a = 0; a < 2; a++) {
      double exact = t.dim(2 + a) * (double) scales[2 + a];
      size[a] = (int) Math.floor(exact);
      if (size[a] != exact) {
        // ONNX maps coordinates with the given scale; image.resize2d uses out/in, which then differs.
        throw cx.unsupported("scale " + scales[2 + a] + " of axis " + (2 + a) + " gives the fractional size " + exact
            + "; only scales giving whole sizes are supported");
      }
    }
    return size;
  }

  private static float[] floats(NDArray a) {
    float[] f = new float[a.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) a.getDouble(i);
    }
    return f;
  }

  private static Expr upsample(ImportContext cx) {
    if (cx.opset() < 7) {
      throw cx.unsupported("the experimental Upsample-1 is not supported");
    }
    TensorType t = input4d(cx);
    float[] scales = cx.opset() < 9 ? cx.attrs().getFloats("scales") : floats(cx.requireKnown(1, "scales"));
    if (scales == null) {
      throw cx.error("missing required attribute 'scales'");
    }
    String method = method(cx);
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
        "rounding_method", method.equals("nearest_neighbor") ? cx.attrs().getString("nearest_mode", "round_prefer_floor") : "");
    if (coord.equals("tf_crop_and_resize")) {
      throw cx.unsupported("coordinate_transformation_mode tf_crop_and_resize is not supported");
    }
    return cx.call("image.resize2d", a, cx.input(0));
  }
}
