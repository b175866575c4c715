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

class PoolOpsTest {
  private static final Attrs P2S2 = Attrs.of("pool_size", List.of(2, 2), "strides", List.of(2, 2));

  @Test
  void maxAndAvg2x2Stride2() {
    // 4x4 of 1..16: windows {1,2,5,6} {3,4,7,8} {9,10,13,14} {11,12,15,16}
    assertClose(new double[] {6, 8, 14, 16}, run1("nn.max_pool2d", P2S2, iota(1, 1, 4, 4)), 1, 1, 2, 2);
    assertClose(new double[] {3.5, 5.5, 11.5, 13.5}, run1("nn.avg_pool2d", P2S2, iota(1, 1, 4, 4)), 1, 1, 2, 2);
  }

  @Test
  void ceilModeAddsPartialWindows() {
    // 5x5 of 1..25, 2x2 stride 2: floor mode gives 2x2, ceil mode 3x3 with partial last row/column
    assertEquals(TensorType.f32(1, 1, 2, 2), OpTester.infer("nn.max_pool2d", P2S2, TensorType.f32(1, 1, 5, 5)));
    Attrs ceil = P2S2.with("ceil_mode", true);
    assertClose(new double[] {7, 9, 10, 17, 19, 20, 22, 24, 25}, run1("nn.max_pool2d", ceil, iota(1, 1, 5, 5)), 1, 1, 3, 3);
    // avg, count_include_pad=false: right column (5 + 10) / 2 = 7.5, corner 25 / 1, bottom (21 + 22) / 2
    assertClose(new double[] {4, 6, 7.5, 14, 16, 17.5, 21.5, 23.5, 25},
        run1("nn.avg_pool2d", ceil, iota(1, 1, 5, 5)), 1, 1, 3, 3);
    // count_include_pad=true divides by 4 everywhere (as TVM): (5 + 10) / 4, 25 / 4
    assertClose(new double[] {4, 6, 3.75, 14, 16, 8.75, 10.75, 11.75, 6.25},
        run1("nn.avg_pool2d", ceil.with("count_include_pad", true), iota(1, 1, 5, 5)), 1, 1, 3, 3);
  }

  @Test
  void avgPaddingCountsOrExcludesPad() {
    Attrs a = Attrs.of("pool_size", List.of(3, 3), "padding", List.of(1, 1));
    // excluded: corner (1+2+4+5)/4 = 3, edge (1+2+3+4+5+6)/6 = 3.5, centre 45/9 = 5
    assertClose(new double[] {3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7}, run1("nn.avg_pool2d", a, iota(1, 1, 3, 3)), 1, 1, 3, 3);
    // included: corner 12/9, edge 21/9, centre 45/9
    assertClose(new double[] {12 / 9.0, 21 / 9.0, 16 / 9.0, 27 / 9.0, 5, 33 / 9.0, 24 / 9.0, 39 / 9.0, 28 / 9.0},
        run1("nn.avg_pool2d", a.with("count_include_pad", true), iota(1, 1, 3, 3)), 1, 1, 3, 3);
  }

  @Test
  void maxPaddingNeverWinsOverNegatives() {
    NDArray neg = ElementwiseOps.map(iota(1, 1, 3, 3), v -> -v);
    Attrs a = Attrs.of("pool_size", List.of(3, 3), "padding", List.of(1, 1));
    assertClose(new double[] {-1, -1, -2, -1, -1, -2, -4, -4, -5}, run1("nn.max_pool2d", a, neg), 1, 1, 3, 3);
    // asymmetric padding (top 2, left 0, bottom 0, right 0), 1x1 pool: rows of padding only give the lowest float
    NDArray p = run1("nn.max_pool2d", Attrs.of("pool_size", List.of(1, 1), "padding", List.of(2, 0, 0, 0)), iota(1, 1, 1, 2));
    assertClose(new double[] {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE, 1, 2}, p, 1, 1, 3, 2);
  }

  @Test
  void dilatedWindowsAndNhwcLayout() {
    // 4x4 of 1..16, 2x2 pool with dilation 2: window (0,0) reads (0,0),(0,2),(2,0),(2,2) = 1, 3, 9, 11
    Attrs a = Attrs.of("pool_size", List.of(2, 2), "dilation", List.of(2, 2));
    assertClose(new double[] {11, 12, 15, 16}, run1("nn.max_pool2d", a, iota(1, 1, 4, 4)), 1, 1, 2, 2);
    assertClose(new double[] {6, 7, 10, 11}, run1("nn.avg_pool2d", a, iota(1, 1, 4, 4)), 1, 1, 2, 2);
    // NHWC with 2 channels: channel 0 holds odd numbers 1..31, channel 1 even numbers 2..32
    NDArray y = run1("nn.max_pool2d", P2S2.with("layout", "NHWC"), iota(1, 4, 4, 2));
    assertClose(new double[] {11, 12, 15, 16, 27, 28, 31, 32}, y, 1, 2, 2, 2);
  }

  /** Random cases against a reference that materialises the padded input with NaN as "absent". */
  @Test
  void poolsMatchPaddedReference() {
    Random r = new Random(11);
    int[][] cases = {
      // h, w, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, ceil
      {7, 6, 3, 2, 2, 2, 1, 1, 1, 0, 1, 1, 1},
      {6, 7, 2, 3, 3, 1, 2, 1, 0, 2, 1, 0, 0},
      {5, 5, 3, 3, 2, 2, 1, 2, 1, 1, 1, 1, 1},
    };
    for (int[] k : cases) {
      NDArray x = OpTester.random(r, 2, 3, k[0], k[1]);
      for (String op : List.of("nn.max_pool2d", "nn.avg_pool2d")) {
        for (boolean incl : new boolean[] {false, true}) {
          Attrs a = Attrs.of("pool_size", List.of(k[2], k[3]), "strides", List.of(k[4], k[5]),
              "dilation", List.of(k[6], k[7]), "padding", List.of(k[8], k[9], k[10], k[11]), "ceil_mode", k[12] == 1);
          if (op.equals("nn.avg_pool2d")) {
            a = a.with("count_include_pad", incl);
          }
          NDArray y = run1(op, a, x);
          int[] ys = y.shape();
          double[] want = referencePool(x, k, op.equals("nn.max_pool2d"), incl, ys[2], ys[3]);
          assertClose(ys, want, y, 1e-6);
          // TVM's size formula, written out: (in + pads - dilated + (ceil ? stride - 1 : 0)) / stride + 1
          assertEquals((k[0] + k[8] + k[10] - ((k[2] - 1) * k[6] + 1) + (k[12] == 1 ? k[4] - 1 : 0)) / k[4] + 1, ys[2]);
          assertEquals((k[1] + k[9] + k[11] - ((k[3] - 1) * k[7] + 1) + (k[12] == 1 ? k[5] - 1 : 0)) / k[5] + 1, ys[3]);
        }
      }
    }
  }

  private static double[] referencePool(NDArray x, int[] k, boolean max, boolean includePad, int oh, int ow) {
    int h = k[0], w = k[1];
    int hh = h + k[8] + k[10] + k[4];
    int ww = w + k[9] + k[11] + k[5];
    double[] out = new double[2 * 3 * oh * ow];
    int o = 0;
    for (int nc = 0; nc < 6; nc++) {
      double[][] padded = new double[hh][ww];
      for (double[] row : padded) {
        java.util.Arrays.fill(row, Double.NaN);
      }
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          padded[i + k[8]][j + k[9]] = x.getDouble(nc * h * w + i * w + j);
        }
      }
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          double best = -Float.MAX_VALUE;
          double sum = 0;
          int n = 0;
          for (int a = 0; a < k[2]; a++) {
            for (int b = 0; b < k[3]; b++) {
              double v = padded[i * k[4] + a * k[6]][j * k[5] + b * k[7]];
              if (!Double.isNaN(v)) {
                best = Math.max(best, v);
                sum += v;
                n++;
              }
            }
          }
          out[o++] = max ? best : sum / (includePad ? k[2] * k[3] : Math.max(n, 1));
        }
      }
    }
    return out;
  }

  @Test
  void globalAvgPoolAveragesEachChannel() {
    // channel 0: 1..4 -> 2.5; channel 1: 5..8 -> 6.5
    assertClose(new double[] {2.5, 6.5}, run1("nn.global_avg_pool2d", Attrs.empty(), iota(1, 2, 2, 2)), 1, 2, 1, 1);
    assertClose(new double[] {4, 5}, run1("nn.global_avg_pool2d", Attrs.of("layout", "NHWC"), iota(1, 2, 2, 2)), 1, 1, 1, 2);
  }

  @Test
  void poolsRejectBadShapes() {
    rejects("nn.max_pool2d", Attrs.of("pool_size", List.of(5, 5)), List.of("height", "window 5", "padded input 4"),
        TensorType.f32(1, 1, 4, 4));
    rejects("nn.avg_pool2d", Attrs.of("pool_size", List.of(2, 2)), List.of("4-D", "(4, 4)"), TensorType.f32(4, 4));
    rejects("nn.max_pool2d", Attrs.empty(), List.of("pool_size"), TensorType.f32(1, 1, 4, 4));
    rejects("nn.max_pool2d", Attrs.of("pool_size", List.of(2, 2), "padding", List.of(1, 2, 3)),
        List.of("1, 2 or 4 values"), TensorType.f32(1, 1, 4, 4));
    rejects("nn.max_pool2d", Attrs.of("pool_size", List.of(2, 2), "layout", "NCHW8c"), List.of("layout", "NCHW8c"),
        TensorType.f32(1, 1, 4, 4));
    rejects("nn.global_avg_pool2d", Attrs.empty(), List.of("4-D"), TensorType.f32(1, 4, 4));
  }
}
