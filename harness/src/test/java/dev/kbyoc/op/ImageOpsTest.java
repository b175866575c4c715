package dev.kbyoc.op;

import static dev.kbyoc.op.OpTester.assertClose;
import static dev.kbyoc.op.OpTester.f32;
import static dev.kbyoc.op.OpTester.iota;
import static dev.kbyoc.op.OpTester.rejects;
import static dev.kbyoc.op.OpTester.run1;
import static dev.kbyoc.op.OpTester.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageOpsTest {
  private static Attrs resize(int h, int w, String method, String mode, String rounding) {
    return Attrs.of("size", List.of(h, w), "method", method, "coordinate_transformation_mode", mode,
        "rounding_method", rounding);
  }

  @Test
  void nearestAsymmetricUpsampleByTwo() {
    // in_x = x / 2 = 0, 0.5, 1, 1.5; floor -> 0, 0, 1, 1 (empty rounding means floor unless align_corners)
    assertClose(new double[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
        run1("image.resize2d", resize(4, 4, "nearest_neighbor", "asymmetric", ""), iota(1, 1, 2, 2)), 1, 1, 4, 4);
    // "round" rounds half away from zero: 0 -> 0, 0.5 -> 1, 1 -> 1, 1.5 -> 2 (clamped to 1)
    assertClose(new double[] {1, 2, 2, 2},
        run1("image.resize2d", resize(1, 4, "nearest_neighbor", "asymmetric", "round"), iota(1, 1, 1, 2)), 1, 1, 1, 4);
  }

  @Test
  void nearestHalfPixelRoundingMethods() {
    // in_x = (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25
    // floor: -1 (clamped to 0), 0, 0, 1;  round: 0, 0, 1, 1
    assertClose(new double[] {1, 1, 1, 2},
        run1("image.resize2d", resize(1, 4, "nearest_neighbor", "half_pixel", ""), iota(1, 1, 1, 2)), 1, 1, 1, 4);
    assertClose(new double[] {1, 1, 2, 2},
        run1("image.resize2d", resize(1, 4, "nearest_neighbor", "half_pixel", "round"), iota(1, 1, 1, 2)), 1, 1, 1, 4);
    // downsample 4 -> 2 asymmetric: in_x = 2x = 0, 2
    assertClose(new double[] {1, 3},
        run1("image.resize2d", resize(1, 2, "nearest_neighbor", "asymmetric", ""), iota(1, 1, 1, 4)), 1, 1, 1, 2);
  }

  @Test
  void bilinearAlignCorners() {
    // [[1, 2], [3, 4]] to 3x3 with corners aligned: midpoints are averages
    assertClose(new double[] {1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4},
        run1("image.resize2d", resize(3, 3, "linear", "align_corners", ""), iota(1, 1, 2, 2)), 1, 1, 3, 3);
  }

  @Test
  void bilinearHalfPixelAndAsymmetric() {
    // row [0, 4] to width 4, half_pixel: in_x = -0.25, 0.25, 0.75, 1.25
    // -0.25: floor -1 (clamped 0) and 0 -> 0; 0.25 -> 0 * 0.75 + 4 * 0.25 = 1; 0.75 -> 3; 1.25: 4 and 4 (clamped) -> 4
    assertClose(new double[] {0, 1, 3, 4},
        run1("image.resize2d", resize(1, 4, "linear", "half_pixel", ""), f32(shape(1, 1, 1, 2), 0, 4)), 1, 1, 1, 4);
    // asymmetric to width 3: in_x = 0, 2/3, 4/3 -> 0, 4 * 2/3, 4
    assertClose(new double[] {0, 8 / 3.0, 4},
        run1("image.resize2d", resize(1, 3, "linear", "asymmetric", ""), f32(shape(1, 1, 1, 2), 0, 4)), 1, 1, 1, 3);
    // both axes: 2x2 -> 4x4 half_pixel, point (1, 2): in_y = 0.25, in_x = 0.75
    // rows: top = 1 * 0.25 + 2 * 0.75 = 1.75, bottom = 3 * 0.25 + 4 * 0.75 = 3.75; 1.75 * 0.75 + 3.75 * 0.25 = 2.25
    double v = run1("image.resize2d", resize(4, 4, "linear", "half_pixel", ""), iota(1, 1, 2, 2)).getDouble(1 * 4 + 2);
    assertEquals(2.25, v, 1e-6);
  }

  @Test
  void nhwcLayoutResizesMiddleAxes() {
    // NHWC (1, 1, 2, 2): pixel 0 has channels (1, 2), pixel 1 has (3, 4); nearest doubling of width
    assertClose(new double[] {1, 2, 1, 2, 3, 4, 3, 4},
        run1("image.resize2d", resize(1, 4, "nearest_neighbor", "asymmetric", "").with("layout", "NHWC"), iota(1, 1, 2, 2)),
        1, 1, 4, 2);
  }

  @Test
  void resizeRejectsBadAttrs() {
    TensorType x = TensorType.f32(1, 3, 8, 8);
    rejects("image.resize2d", Attrs.empty(), List.of("size"), x);
    rejects("image.resize2d", resize(4, 4, "bicubic", "half_pixel", ""), List.of("method", "[bicubic]"), x);
    rejects("image.resize2d", resize(4, 4, "linear", "tf_crop", ""), List.of("coordinate_transformation_mode", "[tf_crop]"), x);
    rejects("image.resize2d", resize(4, 4, "linear", "tf_crop_and_resize", ""), List.of("roi"), x);
    rejects("image.resize2d", resize(4, 4, "linear", "half_pixel", "").with("scale", List.of(0.5, -1.0)), List.of("scale"), x);
    rejects("image.resize2d", resize(0, 4, "linear", "half_pixel", ""), List.of("size", ">= 1"), x);
    rejects("image.resize2d", resize(4, 4, "linear", "half_pixel", ""), List.of("4-D", "(3, 8, 8)"), TensorType.f32(3, 8, 8));
    assertEquals(TensorType.f32(1, 3, 4, 6), OpTester.infer("image.resize2d", resize(4, 6, "linear", "half_pixel", ""), x));
  }

  @Test
  void cubicUsesKeysWeightsAndCanExcludeOutsideTaps() {
    // row [0 0 1 0 0] upsampled x2 (asymmetric: input x = out x / 2) with alpha -0.75: at
    // t = 0.5 the weights are [-0.09375, 0.59375, 0.59375, -0.09375]
    Attrs a = resize(1, 10, "cubic", "asymmetric", "").with("cubic_alpha", -0.75);
    var x = f32(shape(1, 1, 1, 5), 0, 0, 1, 0, 0);
    var y = run1("image.resize2d", a, x);
    assertEquals(0.59375, y.getDouble(3), 1e-7); // x 1.5: taps 0..3, the 1 has weight w2
    assertEquals(1.0, y.getDouble(4), 1e-7); // x 2.0: t = 0 picks the sample
    assertEquals(0.59375, y.getDouble(5), 1e-7);
    assertEquals(-0.09375, y.getDouble(1), 1e-7); // x 0.5: taps -1..2 (clamped), the 1 has weight w3
    // cubic_exclude drops the tap at -1 (w0) and renormalises: -0.09375 / (1 + 0.09375)
    var ex = run1("image.resize2d", a.with("cubic_exclude", 1L), x);
    assertEquals(-0.09375 / 1.09375, ex.getDouble(1), 1e-7);
  }

  @Test
  void tfCropAndResizeSamplesTheRoiAndExtrapolatesOutside() {
    // [[1 2], [3 4]] to 1x3 with roi covering the image: y = 0.5 (the centre), x = 0, 0.5, 1
    Attrs a = resize(1, 3, "linear", "tf_crop_and_resize", "").with("roi", List.of(0.0, 0.0, 1.0, 1.0));
    assertClose(new double[] {2, 2.5, 3}, run1("image.resize2d", a, iota(1, 1, 2, 2)), 1, 1, 1, 3);
    // end_w 2: x = 0, 1, 2 and 2 lies outside the image -> extrapolation_value
    Attrs b = resize(1, 3, "linear", "tf_crop_and_resize", "").with("roi", List.of(0.0, 0.0, 1.0, 2.0))
        .with("extrapolation_value", 9.0);
    assertClose(new double[] {2, 3, 9}, run1("image.resize2d", b, iota(1, 1, 2, 2)), 1, 1, 1, 3);
  }

  @Test
  void scaleExtensionMapsCoordinatesWithTheGivenScale() {
    // W 4 -> 2 at scale 0.6 (ONNX floors 2.4): half_pixel x_in = (x + 0.5) / 0.6 - 0.5 = 1/3, 2
    Attrs a = resize(1, 2, "linear", "half_pixel", "").with("scale", List.of(1.0, 0.6));
    assertClose(shape(1, 1, 1, 2), new double[] {1 + 1.0 / 3, 3}, run1("image.resize2d", a, iota(1, 1, 1, 4)), 1e-6);
    // without it the ratio is 4 / 2: x_in = 0.5, 2.5
    assertClose(new double[] {1.5, 3.5}, run1("image.resize2d", resize(1, 2, "linear", "half_pixel", ""), iota(1, 1, 1, 4)), 1, 1, 1, 2);
  }
}
