package dev.kbyoc.onnx;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import java.util.Map;

/**
 * Resize (opset 10, 11, 13) and Upsample (opset 7..9) of NCHW tensors to {@code image.resize2d}
 * with a static output size, computed from constant {@code sizes} or {@code scales} (as
 * {@code floor(in * scale)}; when that is fractional the scales go to the op's {@code scale}
 * extension, because ONNX maps coordinates with the scale, not out/in). Mode names map as in TVM
 * v0.8: nearest -> nearest_neighbor, linear -> linear, cubic -> cubic ({@code cubic_coeff_a} ->
 * {@code cubic_alpha}, {@code exclude_outside} -> {@code cubic_exclude}); tf_crop_and_resize takes
 * the H and W entries of the constant {@code roi} input and {@code extrapolation_value}. Upsample
 * and Resize-10 use the asymmetric coordinate mode, nearest rounding down.
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
    int[] size = new int[2];
    for (int a = 0; a < 2; a++) {
      if (!(scales[2 + a] > 0)) {
        throw cx.error("scale " + scales[2 + a] + " of axis " + (2 + a) + " must be positive");
      }
      size[a] = Math.max(1, (int) Math.floor(t.dim(2 + a) * (double) scales[2 + a]));
    }
    return size;
  }

  /** The resize attributes for {@code size}, plus the {@code scale} extension when a size is fractional. */
  private static Attrs sized(TensorType t, int[] size, float[] scales) {
    Attrs a = Attrs.of("size", size);
    if (scales != null && (size[0] != t.dim(2) * (double) scales[2] || size[1] != t.dim(3) * (double) scales[3])) {
      a = a.with("scale", java.util.List.of((double) scales[2], (double) scales[3]));
    }
    return a;
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
    Attrs a = sized(t, sizeFromScales(cx, t, scales), scales).with("layout", "NCHW").with("method", method)
        .with("coordinate_transformation_mode", "asymmetric").with("rounding_method", "floor");
    return cx.call("image.resize2d", a, cx.input(0));
  }

  private static Expr resize(ImportContext cx) {
    TensorType t = input4d(cx);
    String method = method(cx);
    if (cx.opset() < 11) {
      float[] scales = floats(cx.requireKnown(1, "scales"));
      Attrs a = sized(t, sizeFromScales(cx, t, scales), scales).with("layout", "NCHW").with("method", method)
          .with("coordinate_transformation_mode", "asymmetric").with("rounding_method", "floor");
      return cx.call("image.resize2d", a, cx.input(0));
    }
    Attrs a;
    NDArray sizes = cx.hasInput(3) ? cx.requireKnown(3, "sizes") : null;
    if (sizes != null && sizes.size() > 0) {
      if (sizes.size() != 4 || sizes.getLong(0) != t.dim(0) || sizes.getLong(1) != t.dim(1)) {
        throw cx.unsupported("sizes " + sizes + " must keep N and C of " + t);
      }
      a = Attrs.of("size", new int[] {(int) sizes.getLong(2), (int) sizes.getLong(3)});
    } else {
      float[] scales = floats(cx.requireKnown(2, "scales"));
      a = sized(t, sizeFromScales(cx, t, scales), scales);
    }
    String coord = cx.attrs().getString("coordinate_transformation_mode", "half_pixel");
    a = a.with("layout", "NCHW").with("method", method).with("coordinate_transformation_mode", coord)
        .with("rounding_method", method.equals("nearest_neighbor") ? cx.attrs().getString("nearest_mode", "round_prefer_floor") : "");
    if (method.equals("cubic")) {
      a = a.with("cubic_alpha", cx.attrs().getFloat("cubic_coeff_a", -0.75))
          .with("cubic_exclude", (long) cx.attrs().getInt("exclude_outside", 0));
    }
    if (coord.equals("tf_crop_and_resize")) {
      NDArray roi = cx.requireKnown(1, "roi");
      if (roi.size() != 8 || roi.getDouble(0) != 0 || roi.getDouble(1) != 0 || roi.getDouble(4) != 1 || roi.getDouble(5) != 1) {
        throw cx.unsupported("roi " + roi + " must have 8 values and keep N and C whole ([0, 0, h0, w0, 1, 1, h1, w1])");
      }
      a = a.with("roi", java.util.List.of(roi.getDouble(2), roi.getDouble(3), roi.getDouble(6), roi.getDouble(7)))
          .with("extrapolation_value", cx.attrs().getFloat("extrapolation_value", 0));
    }
    return cx.call("image.resize2d", a, cx.input(0));
  }
}
