package dev.kbyoc.op;

import static dev.kbyoc.op.OpTester.assertClose;
import static dev.kbyoc.op.OpTester.f32;
import static dev.kbyoc.op.OpTester.iota;
import static dev.kbyoc.op.OpTester.rejects;
import static dev.kbyoc.op.OpTester.run1;
import static dev.kbyoc.op.OpTester.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConvOpsTest {

  @Test
  void valid2x2KernelOn3x3() {
    // input 1..9 as 3x3, kernel [[1, 2], [3, 4]]:
    // (0,0) = 1*1 + 2*2 + 4*3 + 5*4 = 37, (0,1) = 2 + 6 + 15 + 24 = 47,
    // (1,0) = 4 + 10 + 21 + 32 = 67,      (1,1) = 5 + 12 + 24 + 36 = 77
    NDArray y = run1("nn.conv2d", Attrs.of("kernel_size", List.of(2, 2)), iota(1, 1, 3, 3), f32(shape(1, 1, 2, 2), 1, 2, 3, 4));
    assertClose(new double[] {37, 47, 67, 77}, y, 1, 1, 2, 2);
  }

  @Test
  void singleValuePaddingPadsAllSides() {
    // 3x3 box filter with padding=1 over 1..9: each output is the sum of the in-bounds neighbourhood
    NDArray ones = f32(shape(1, 1, 3, 3), 1, 1, 1, 1, 1, 1, 1, 1, 1);
    NDArray y = run1("nn.conv2d", Attrs.of("padding", List.of(1)), iota(1, 1, 3, 3), ones);
    assertClose(new double[] {12, 21, 16, 27, 45, 33, 24, 39, 28}, y, 1, 1, 3, 3);
  }

  @Test
  void asymmetricFourValuePadding() {
    // padding (top 0, left 1, bottom 2, right 0) around [[1, 2], [3, 4]], 1x1 kernel of weight 2
    NDArray y = run1("nn.conv2d", Attrs.of("padding", List.of(0, 1, 2, 0)), iota(1, 1, 2, 2), f32(shape(1, 1, 1, 1), 2));
    assertClose(new double[] {0, 2, 4, 0, 6, 8, 0, 0, 0, 0, 0, 0}, y, 1, 1, 4, 3);
  }

  @Test
  void twoValuePaddingIsTopBottomThenLeftRight() {
    // padding (1, 0): one zero row above and below, no columns; 1x1 identity kernel
    NDArray y = run1("nn.conv2d", Attrs.of("padding", List.of(1, 0)), iota(1, 1, 1, 2), f32(shape(1, 1, 1, 1), 1));
    assertClose(new double[] {0, 0, 1, 2, 0, 0}, y, 1, 1, 3, 2);
  }

  @Test
  void depthwiseWithMultiplierKeepsChannelsApart() {
    // 2 channels, groups=2, weight (4, 1, 1, 1): out channel o reads input channel o / 2
    NDArray x = f32(shape(1, 2, 1, 2), 1, 2, 10, 20);
    NDArray w = f32(shape(4, 1, 1, 1), 1, -1, 0.5, 3);
    NDArray y = run1("nn.conv2d", Attrs.of("groups", 2, "channels", 4), x, w);
    assertClose(new double[] {1, 2, -1, -2, 5, 10, 30, 60}, y, 1, 4, 1, 2);
  }

  /** Strides, dilation, groups and asymmetric padding together, against {@link #referenceConv}. */
  @Test
  void groupedStridedDilatedMatchesPaddedReference() {
    Random r = new Random(42);
    int[][] cases = {
      // n, c, h, w, o, kh, kw, groups, sh, sw, dh, dw, pt, pl, pb, pr
      {2, 4, 7, 6, 6, 3, 2, 2, 2, 1, 1, 2, 1, 0, 2, 1},
      {1, 3, 5, 5, 3, 3, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2},
      {1, 2, 6, 5, 4, 1, 3, 1, 3, 2, 1, 1, 0, 1, 0, 1},
    };
    for (int[] k : cases) {
      NDArray x = OpTester.random(r, k[0], k[1], k[2], k[3]);
      NDArray w = OpTester.random(r, k[4], k[1] / k[7], k[5], k[6]);
      Attrs a = Attrs.of("strides", List.of(k[8], k[9]), "padding", List.of(k[12], k[13], k[14], k[15]),
          "dilation", List.of(k[10], k[11]), "groups", k[7]);
      NDArray y = run1("nn.conv2d", a, x, w);
      double[][][][] ref = referenceConv(x, w, k[7], k[8], k[9], k[10], k[11], k[12], k[13], k[14], k[15]);
      double[] flat = flatten(ref);
      assertClose(shape(ref.length, ref[0].length, ref[0][0].length, ref[0][0][0].length), flat, y, 1e-5);
    }
  }

  /** Pads explicitly into a nested array, then takes a strided, dilated window per output. */
  static double[][][][] referenceConv(NDArray x, NDArray w, int groups, int sh, int sw, int dh, int dw,
      int pt, int pl, int pb, int pr) {
    int[] xs = x.shape();
    int[] ws = w.shape();
    double[][][][] padded = new double[xs[0]][xs[1]][xs[2] + pt + pb][xs[3] + pl + pr];
    for (int n = 0; n < xs[0]; n++) {
      for (int c = 0; c < xs[1]; c++) {
        for (int h = 0; h < xs[2]; h++) {
          for (int v = 0; v < xs[3]; v++) {
            padded[n][c][h + pt][v + pl] = x.getDouble(((n * xs[1] + c) * xs[2] + h) * xs[3] + v);
          }
        }
      }
    }
    int oh = (padded[0][0].length - (dh * (ws[2] - 1) + 1)) / sh + 1;
    int ow = (padded[0][0][0].length - (dw * (ws[3] - 1) + 1)) / sw + 1;
    double[][][][] out = new double[xs[0]][ws[0]][oh][ow];
    int cin = xs[1] / groups;
    int cout = ws[0] / groups;
    for (int n = 0; n < xs[0]; n++) {
      for (int g = 0; g < groups; g++) {
        for (int oc = g * cout; oc < (g + 1) * cout; oc++) {
          for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
              double s = 0;
              for (int ic = 0; ic < cin; ic++) {
                for (int a = 0; a < ws[2]; a++) {
                  for (int b = 0; b < ws[3]; b++) {
                    s += padded[n][g * cin + ic][i * sh + a * dh][j * sw + b * dw]
                        * w.getDouble(((oc * ws[1] + ic) * ws[2] + a) * ws[3] + b);
                  }
                }
              }
              out[n][oc][i][j] = s;
            }
          }
        }
      }
    }
    return out;
  }

  static double[] flatten(double[][][][] a) {
    return java.util.Arrays.stream(a).flatMap(java.util.Arrays::stream).flatMap(java.util.Arrays::stream)
        .flatMapToDouble(java.util.Arrays::stream).toArray();
  }

  @Test
  void conv2dOutputShapeAndOutDtype() {
    // (224 + 2 - 3) / 2 + 1 = 112
    TensorType t = (TensorType) OpTester.infer("nn.conv2d",
        Attrs.of("strides", List.of(2, 2), "padding", List.of(1, 1, 1, 1), "channels", 16, "kernel_size", List.of(3, 3)),
        TensorType.f32(1, 3, 224, 224), TensorType.f32(16, 3, 3, 3));
    assertEquals(TensorType.f32(1, 16, 112, 112), t);
  }

  @Test
  void int8ConvAccumulatesIntoInt32OutDtype() {
    // 100 * 100 + (-128) * 100 = -2800 does not fit int8; out_dtype=int32 keeps it
    NDArray x = NDArray.ofBytes(dev.kbyoc.ir.DType.INT8, new byte[] {100, -128}, 1, 2, 1, 1);
    NDArray w = NDArray.ofBytes(dev.kbyoc.ir.DType.INT8, new byte[] {100, 100}, 1, 2, 1, 1);
    NDArray y = run1("nn.conv2d", Attrs.of("out_dtype", "int32"), x, w);
    assertEquals(dev.kbyoc.ir.DType.INT32, y.dtype());
    assertEquals(-2800, y.intData()[0]);
  }

  @Test
  void conv2dRejectsBadShapes() {
    TensorType data = TensorType.f32(1, 4, 8, 8);
    rejects("nn.conv2d", Attrs.empty(), List.of("4 channels", "weight dim 1 must be 4", "(8, 3, 3, 3)"),
        data, TensorType.f32(8, 3, 3, 3));
    rejects("nn.conv2d", Attrs.of("groups", 2), List.of("groups=2", "weight dim 1 must be 2"),
        data, TensorType.f32(8, 4, 3, 3));
    rejects("nn.conv2d", Attrs.of("groups", 3), List.of("groups=3", "4/3"), data, TensorType.f32(6, 1, 3, 3));
    rejects("nn.conv2d", Attrs.of("channels", 16), List.of("channels=16", "8"), data, TensorType.f32(8, 4, 3, 3));
    rejects("nn.conv2d", Attrs.of("kernel_size", List.of(5, 5)), List.of("kernel_size [5, 5]", "[3, 3]"),
        data, TensorType.f32(8, 4, 3, 3));
    rejects("nn.conv2d", Attrs.empty(), List.of("height", "window 9", "padded input 8"), data, TensorType.f32(8, 4, 9, 1));
    rejects("nn.conv2d", Attrs.of("dilation", List.of(4, 1)), List.of("height", "window 9"), data, TensorType.f32(8, 4, 3, 3));
    rejects("nn.conv2d", Attrs.of("padding", List.of(1, 1, 1)), List.of("1, 2 or 4 values", "[1, 1, 1]"),
        data, TensorType.f32(8, 4, 3, 3));
    rejects("nn.conv2d", Attrs.of("data_layout", "NHWC"), List.of("data_layout [NHWC]"), data, TensorType.f32(8, 4, 3, 3));
    rejects("nn.conv2d", Attrs.empty(), List.of("4-D"), TensorType.f32(4, 8, 8), TensorType.f32(8, 4, 3, 3));
    rejects("nn.conv2d", Attrs.of("strides", List.of(0, 1)), List.of("strides", ">= 1"), data, TensorType.f32(8, 4, 3, 3));
  }

  @Test
  void transposeStride2ReplicatesIntoBlocks() {
    // each input pixel scatters a 2x2 block of ones, blocks do not overlap at stride 2
    NDArray ones = f32(shape(1, 1, 2, 2), 1, 1, 1, 1);
    Attrs a = Attrs.of("strides", List.of(2, 2), "kernel_layout", "IOHW");
    NDArray y = run1("nn.conv2d_transpose", a, iota(1, 1, 2, 2), ones);
    assertClose(new double[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, y, 1, 1, 4, 4);
  }

  @Test
  void transposeStride1OverlapsAndPaddingCrops() {
    // [[1, 2], [3, 4]] scattered by a 2x2 ones kernel: [[1, 3, 2], [4, 10, 6], [3, 7, 4]]
    NDArray ones = f32(shape(1, 1, 2, 2), 1, 1, 1, 1);
    Attrs a = Attrs.of("kernel_layout", "IOHW");
    assertClose(new double[] {1, 3, 2, 4, 10, 6, 3, 7, 4}, run1("nn.conv2d_transpose", a, iota(1, 1, 2, 2), ones), 1, 1, 3, 3);
    // padding (top 1, left 0, bottom 0, right 1) crops the first row and the last column
    NDArray cropped = run1("nn.conv2d_transpose", a.with("padding", List.of(1, 0, 0, 1)), iota(1, 1, 2, 2), ones);
    assertClose(new double[] {4, 10, 3, 7}, cropped, 1, 1, 2, 2);
  }

  /** Transposed conv as topi computes it: dilate by stride, pad, convolve with the flipped kernel. */
  @Test
  void transposeMatchesDilatePadFlipReference() {
    Random r = new Random(3);
    int[][] cases = {
      // n, c, h, w, og, kh, kw, groups, sh, sw, dh, dw, pt, pl, pb, pr, oph, opw
      {1, 2, 3, 4, 3, 3, 3, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 0},
      {2, 4, 3, 3, 1, 2, 3, 2, 1, 3, 1, 1, 0, 2, 1, 0, 0, 2},
      {1, 3, 4, 2, 2, 3, 2, 3, 2, 1, 2, 1, 1, 0, 2, 0, 1, 0},
    };
    for (int[] k : cases) {
      NDArray x = OpTester.random(r, k[0], k[1], k[2], k[3]);
      NDArray w = OpTester.random(r, k[1], k[4], k[5], k[6]);
      Attrs a = Attrs.of("strides", List.of(k[8], k[9]), "padding", List.of(k[12], k[13], k[14], k[15]),
          "dilation", List.of(k[10], k[11]), "groups", k[7], "output_padding", List.of(k[16], k[17]),
          "kernel_layout", "IOHW");
      NDArray y = run1("nn.conv2d_transpose", a, x, w);
      double[][][][] ref = referenceTranspose(x, w, k);
      assertClose(shape(ref.length, ref[0].length, ref[0][0].length, ref[0][0][0].length), flatten(ref), y, 1e-5);
      // the same weights written OIHW ([og, c, kh, kw]) give the same result
      NDArray wo = NDArray.zeros(w.dtype(), k[4], k[1], k[5], k[6]);
      for (int c = 0; c < k[1]; c++) {
        for (int o = 0; o < k[4]; o++) {
          for (int i = 0; i < k[5] * k[6]; i++) {
            wo.setDouble((o * k[1] + c) * k[5] * k[6] + i, w.getDouble((c * k[4] + o) * k[5] * k[6] + i));
          }
        }
      }
      NDArray yo = run1("nn.conv2d_transpose", a.with("kernel_layout", "OIHW"), x, wo);
      assertClose(y.shape(), flatten(ref), yo, 1e-5);
    }
  }

  private static double[][][][] referenceTranspose(NDArray x, NDArray w, int[] k) {
    int n = k[0], c = k[1], h = k[2], wd = k[3], og = k[4], kh = k[5], kw = k[6], g = k[7];
    int sh = k[8], sw = k[9], dh = k[10], dw = k[11];
    int dkh = (kh - 1) * dh + 1;
    int dkw = (kw - 1) * dw + 1;
    // dilate the input by the strides, then pad (dk - 1 - pad) before and (dk - 1 - pad + output_padding) after
    int top = dkh - 1 - k[12], left = dkw - 1 - k[13];
    int hh = (h - 1) * sh + 1 + top + dkh - 1 - k[14] + k[16];
    int ww = (wd - 1) * sw + 1 + left + dkw - 1 - k[15] + k[17];
    double[][][][] big = new double[n][c][hh][ww];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < c; b++) {
        for (int y = 0; y < h; y++) {
          for (int z = 0; z < wd; z++) {
            int yy = y * sh + top;
            int zz = z * sw + left;
            if (yy >= 0 && yy < hh && zz >= 0 && zz < ww) {
              big[a][b][yy][zz] = x.getDouble(((a * c + b) * h + y) * wd + z);
            }
          }
        }
      }
    }
    int oh = hh - dkh + 1;
    int ow = ww - dkw + 1;
    int cin = c / g;
    double[][][][] out = new double[n][og * g][oh][ow];
    for (int a = 0; a < n; a++) {
      for (int o = 0; o < og * g; o++) {
        int grp = o / og;
        for (int y = 0; y < oh; y++) {
          for (int z = 0; z < ow; z++) {
            double s = 0;
            for (int ci = grp * cin; ci < (grp + 1) * cin; ci++) {
              for (int p = 0; p < kh; p++) {
                for (int q = 0; q < kw; q++) {
                  // flipped kernel tap
                  double wv = w.getDouble(((ci * og + o % og) * kh + (kh - 1 - p)) * kw + (kw - 1 - q));
                  s += big[a][ci][y + p * dh][z + q * dw] * wv;
                }
              }
            }
            out[a][o][y][z] = s;
          }
        }
      }
    }
    return out;
  }

  @Test
  void transposeShapeAndRejections() {
    // (18 - 1) * 2 + 3 - 2 + 1 = 36, as in TVM's test_conv2d_transpose_nchw_run
    Attrs a = Attrs.of("channels", 10, "kernel_size", List.of(3, 3), "strides", List.of(2, 2), "padding", List.of(1, 1),
        "output_padding", List.of(1, 1), "kernel_layout", "IOHW");
    assertEquals(TensorType.f32(1, 10, 36, 36), OpTester.infer("nn.conv2d_transpose", a, TensorType.f32(1, 3, 18, 18),
        TensorType.f32(3, 10, 3, 3)));
    rejects("nn.conv2d_transpose", a, List.of("3 channels", "has 10 input channels"), TensorType.f32(1, 3, 18, 18),
        TensorType.f32(10, 3, 3, 3));
    rejects("nn.conv2d_transpose", a.with("output_padding", List.of(2, 0)), List.of("output_padding [2, 0]", "strides [2, 2]"),
        TensorType.f32(1, 3, 18, 18), TensorType.f32(3, 10, 3, 3));
    rejects("nn.conv2d_transpose", a.with("channels", 12), List.of("channels=12"), TensorType.f32(1, 3, 18, 18),
        TensorType.f32(3, 10, 3, 3));
    rejects("nn.conv2d_transpose", a.with("kernel_layout", "HWIO"), List.of("kernel_layout [HWIO]"),
        TensorType.f32(1, 3, 18, 18), TensorType.f32(3, 10, 3, 3));
  }
}
