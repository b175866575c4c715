package dev.kbyoc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Value;
import dev.kbyoc.op.OpDef;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.verify.TolerancePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast kernels against the reference kernels of {@code dev.kbyoc.op} on random shapes,
 * including padding wider than the window, strides, dilations, groups and depthwise convolutions.
 * Convolution, dense, batch norm and the elementwise kernels must give the reference's bits
 * (convolution and dense sum with float fused multiply-adds in the same order, batch norm is the
 * same float multiply and add). Indexing is also checked with
 * one-hot tensors: a convolution of an input with a single non-zero element (or of weights with a
 * single non-zero tap) sums one product and zeros, so a misplaced tap, edge or padding shows up
 * as a mismatch in the one product that matters. The float32 reference's own accumulation is
 * checked against the exact (float64) convolution within the float summation error bound.
 */
class FastKernelsTest {
  private final Random rnd = new Random(0x5EED_F00DL);

  private NDArray random(int... shape) {
    NDArray a = NDArray.zeros(dev.kbyoc.ir.DType.FLOAT32, shape);
    float[] d = a.floatData();
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (rnd.nextGaussian() * 2);
    }
    return a;
  }

  /** Runs op {@code name} with the fast and the reference kernel and requires equal outputs. */
  private void same(String name, Attrs attrs, NDArray... inputs) {
    compare(name, attrs, TolerancePolicy.EXACT, inputs);
  }

  private void compare(String name, Attrs attrs, TolerancePolicy policy, NDArray... inputs) {
    OpDef def = OpDef.of(name);
    Attrs full = attrs.withDefaults(def.attrs());
    List<Type> types = new ArrayList<>();
    List<Value> args = new ArrayList<>();
    for (NDArray a : inputs) {
      types.add(a.type());
      args.add(a);
    }
    Type out = def.inferType(types, full);
    Value fast = FastKernels.all().get(name).compute(args, full, out);
    Value ref = def.kernel().compute(args, full, out);
    String what = name + " " + attrs + " on " + types;
    List<NDArray> want = new ArrayList<>();
    List<NDArray> got = new ArrayList<>();
    Interpreter.flatten(ref, want);
    Interpreter.flatten(fast, got);
    String[] bad = policy.compare("reference", want, "fast", got);
    assertNull(bad, () -> what + ": " + String.join(": ", bad));
  }

  private static Attrs conv(int sh, int sw, int dh, int dw, int[] pad, int groups) {
    return Attrs.of("strides", List.of((long) sh, (long) sw), "dilation", List.of((long) dh, (long) dw),
        "padding", List.of((long) pad[0], (long) pad[1], (long) pad[2], (long) pad[3]), "groups", (long) groups);
  }

  @Test
  void conv2dMatchesReferenceOnRandomGeometries() {
    for (int t = 0; t < 60; t++) {
      int groups = new int[] {1, 1, 2, 3}[rnd.nextInt(4)];
      int inPerGroup = 1 + rnd.nextInt(4);
      int outPerGroup = 1 + rnd.nextInt(3);
      int kh = 1 + rnd.nextInt(4);
      int kw = 1 + rnd.nextInt(4);
      int dh = 1 + rnd.nextInt(2);
      int dw = 1 + rnd.nextInt(3);
      int[] pad = {rnd.nextInt(4), rnd.nextInt(4), rnd.nextInt(4), rnd.nextInt(5)};
      int sh = 1 + rnd.nextInt(3);
      int sw = 1 + rnd.nextInt(3);
      int h = (kh - 1) * dh + 1 + rnd.nextInt(9);
      int w = (kw - 1) * dw + 1 + rnd.nextInt(9);
      int n = 1 + rnd.nextInt(2);
      Attrs a = conv(sh, sw, dh, dw, pad, groups);
      NDArray x = random(n, groups * inPerGroup, h, w);
      NDArray wt = random(groups * outPerGroup, inPerGroup, kh, kw);
      same("nn.conv2d", a, x, wt);
      same("nn.conv2d", a, oneHot(x, rnd.nextInt(x.size())), wt);
      same("nn.conv2d", a, x, oneHot(wt, rnd.nextInt(wt.size())));
    }
  }

  /**
   * Property: a convolution split into any number of row bands (the parallel jobs, one per thread)
   * gives the reference's bits; each band pads and splits only its own input rows, so a band edge
   * that drops or repeats a row, or a halo row missing from a band's planes, changes some output.
   * Generator: random geometries as above (rows, row-pair, wide and pointwise layouts; heights
   * from 1 row, so some bands are empty and some end on a single row), each planned with 1 to 5
   * bands and run twice on the same scratch.
   */
  @Test
  void anyNumberOfRowBandsGivesTheReferenceBits() {
    for (int t = 0; t < 40; t++) {
      int groups = new int[] {1, 1, 2}[rnd.nextInt(3)];
      int inPerGroup = 1 + rnd.nextInt(3);
      int outPerGroup = 1 + rnd.nextInt(10);
      int k = new int[] {1, 1, 3, 5}[rnd.nextInt(4)];
      int s = 1 + rnd.nextInt(2);
      int p = rnd.nextInt(k / 2 + 1);
      int h = Math.max(k - 2 * p, 1) + rnd.nextInt(12);
      // output width 32 (rows layout), 16 (row pairs), or anything (wide)
      int[] widths = {31 * s + k - 2 * p, 15 * s + k - 2 * p, Math.max(k - 2 * p, 1) + rnd.nextInt(20)};
      int w = widths[rnd.nextInt(3)];
      int outH = (h + 2 * p - k) / s + 1;
      int outW = (w + 2 * p - k) / s + 1;
      NDArray x = random(1, groups * inPerGroup, h, w);
      NDArray wt = random(groups * outPerGroup, inPerGroup, k, k);
      Attrs a = conv(s, s, 1, 1, new int[] {p, p, p, p}, groups);
      NDArray want = OpDef.of("nn.conv2d").kernel().compute(List.of(x, wt), a.withDefaults(OpDef.of("nn.conv2d").attrs()),
          new TensorType(new int[] {1, groups * outPerGroup, outH, outW}, dev.kbyoc.ir.DType.FLOAT32)).asTensor();
      for (int bands = 1; bands <= 5; bands++) {
        Conv2dF32 c = new Conv2dF32(x.shape(), wt.shape(), want.shape(), new int[] {s, s}, new int[] {1, 1}, p, p, groups,
            bands);
        float[] y = new float[want.size()];
        float[] scratch = c.newScratch();
        for (int run = 0; run < 2; run++) {
          java.util.Arrays.fill(y, Float.NaN);
          c.run(x.floatData(), wt.floatData(), y, Epilogue.IDENTITY, scratch);
          int[] bits = new int[y.length];
          int[] wantBits = new int[y.length];
          for (int i = 0; i < y.length; i++) {
            bits[i] = Float.floatToRawIntBits(y[i]);
            wantBits[i] = Float.floatToRawIntBits(want.floatData()[i]);
          }
          int b = bands;
          assertArrayEquals(wantBits, bits, () -> b + " bands, " + a + " on " + x.type() + " * " + wt.type());
        }
      }
    }
  }

  /** {@code a} with every element but {@code keep} set to zero. */
  private static NDArray oneHot(NDArray a, int keep) {
    NDArray b = NDArray.zeros(a.dtype(), a.shape());
    b.floatData()[keep] = a.floatData()[keep];
    return b;
  }

  @Test
  void everyInputPixelAndTapLandsWhereTheReferencePutsIt() {
    // the layouts the planner picks: pointwise, rows (width a multiple of 32), wide, strided phases,
    // depthwise; each with 1, 4 and 8+ output channels so every register block is used
    Object[][] cases = {
        {conv(1, 1, 1, 1, new int[] {0, 0, 0, 0}, 1), new int[] {1, 3, 5, 7}, new int[] {13, 3, 1, 1}},
        {conv(1, 1, 1, 1, new int[] {1, 1, 1, 1}, 1), new int[] {1, 2, 4, 32}, new int[] {9, 2, 3, 3}},
        {conv(1, 1, 1, 1, new int[] {1, 2, 0, 1}, 1), new int[] {1, 2, 6, 5}, new int[] {12, 2, 3, 3}},
        {conv(2, 2, 1, 1, new int[] {1, 1, 1, 1}, 1), new int[] {1, 2, 9, 8}, new int[] {8, 2, 3, 3}},
        {conv(2, 3, 2, 1, new int[] {2, 0, 1, 2}, 1), new int[] {1, 1, 11, 10}, new int[] {5, 1, 3, 2}},
        {conv(2, 2, 1, 1, new int[] {0, 0, 0, 0}, 1), new int[] {1, 4, 6, 6}, new int[] {4, 4, 1, 1}},
        {conv(1, 1, 1, 1, new int[] {1, 1, 1, 1}, 3), new int[] {1, 3, 5, 6}, new int[] {3, 1, 3, 3}},
    };
    for (Object[] c : cases) {
      Attrs a = (Attrs) c[0];
      NDArray x = random((int[]) c[1]);
      NDArray w = random((int[]) c[2]);
      for (int i = 0; i < x.size(); i++) {
        same("nn.conv2d", a, oneHot(x, i), w);
      }
      for (int i = 0; i < w.size(); i++) {
        same("nn.conv2d", a, x, oneHot(w, i));
      }
      same("nn.conv2d", a, x, w);
    }
  }

  @Test
  void depthwiseAndLargeConvsMatchReference() {
    // depthwise 3x3 stride 2 with padding, as in MobileNet; a large 1x1 that takes the parallel path
    same("nn.conv2d", conv(2, 2, 1, 1, new int[] {1, 1, 1, 1}, 32), random(1, 32, 17, 16), random(32, 1, 3, 3));
    same("nn.conv2d", conv(1, 1, 1, 1, new int[] {0, 0, 0, 0}, 1), random(2, 64, 16, 16), random(48, 64, 1, 1));
    // stride 2 on wide rows: the phase split deinterleaves whole vectors of column pairs
    same("nn.conv2d", conv(2, 2, 1, 1, new int[] {1, 1, 1, 1}, 8), random(1, 8, 9, 75), random(8, 1, 3, 3));
    same("nn.conv2d", conv(3, 2, 1, 1, new int[] {0, 2, 1, 1}, 1), random(2, 3, 8, 96), random(5, 3, 3, 3));
    same("nn.conv2d", conv(1, 1, 1, 1, new int[] {1, 1, 1, 1}, 1), random(2, 16, 32, 64), random(24, 16, 3, 3));
    // padding larger than the window and a window wider than the padded input on one side
    same("nn.conv2d", conv(1, 3, 1, 1, new int[] {5, 0, 4, 6}, 1), random(1, 2, 3, 4), random(3, 2, 2, 3));
    // stride 1 with many channels, dilation, asymmetric padding, narrow rows, infinite weights
    same("nn.conv2d", conv(1, 1, 2, 1, new int[] {2, 1, 0, 3}, 1), random(2, 5, 9, 3), random(21, 5, 3, 3));
    same("nn.conv2d", conv(1, 1, 1, 1, new int[] {1, 1, 1, 1}, 2), random(1, 6, 4, 19), random(18, 3, 3, 3));
    NDArray inf = random(8, 2, 3, 3);
    inf.floatData()[5] = Float.POSITIVE_INFINITY;
    same("nn.conv2d", conv(1, 1, 1, 1, new int[] {1, 1, 1, 1}, 1), random(1, 2, 5, 5), inf);
    same("nn.conv2d", conv(2, 2, 1, 1, new int[] {1, 1, 1, 1}, 1), random(1, 2, 6, 7), inf);
  }

  @Test
  void float32ReferenceStaysWithinTheFloatSummationBoundOfTheExactSum() {
    // the float32 conv2d sums K products with fused multiply-adds: each output may differ from the
    // exact sum (float64 inputs: exact products, double sums, here converted back to float) by at
    // most (K + 1) * 2^-24 * sum |x * w| (recursive summation, then the final rounding); sum |x * w|
    // is the float64 convolution of |x| and |w|
    for (int t = 0; t < 40; t++) {
      int groups = new int[] {1, 1, 2, 4}[rnd.nextInt(4)];
      int inPerGroup = 1 + rnd.nextInt(24);
      int outPerGroup = 1 + rnd.nextInt(12);
      int kh = 1 + rnd.nextInt(3);
      int kw = 1 + rnd.nextInt(3);
      int s = 1 + rnd.nextInt(2);
      Attrs a = conv(s, s, 1, 1, new int[] {rnd.nextInt(2), rnd.nextInt(2), rnd.nextInt(2), rnd.nextInt(2)}, groups);
      NDArray x = random(1, groups * inPerGroup, kh + rnd.nextInt(20), kw + rnd.nextInt(40));
      NDArray w = random(groups * outPerGroup, inPerGroup, kh, kw);
      float[] ref = conv2d(a, x, w).floatData();
      NDArray exact = conv2d(a, f64(x), f64(w));
      NDArray bound = conv2d(a, f64(abs(x)), f64(abs(w)));
      double gamma = (inPerGroup * kh * kw + 1) * 0x1p-24;
      for (int i = 0; i < ref.length; i++) {
        double err = Math.abs(ref[i] - exact.getDouble(i));
        assertTrue(err <= gamma * bound.getDouble(i),
            "output " + i + ": " + ref[i] + " vs exact " + exact.getDouble(i) + " (bound " + gamma * bound.getDouble(i) + ")");
      }
      same("nn.conv2d", a, x, w);
    }
  }

  @Test
  void float32ReferenceAccumulatesInFloatNotDouble() {
    // 1 + 2^-24 + 2^-24: a double sum gives 1 + 2^-23 (a float); float adds round each step back to 1
    NDArray x = NDArray.zeros(dev.kbyoc.ir.DType.FLOAT32, 1, 3, 1, 1);
    NDArray w = NDArray.zeros(dev.kbyoc.ir.DType.FLOAT32, 1, 3, 1, 1);
    float[] xs = x.floatData();
    xs[0] = 1f;
    xs[1] = 0x1p-24f;
    xs[2] = 0x1p-24f;
    java.util.Arrays.fill(w.floatData(), 1f);
    Attrs a = conv(1, 1, 1, 1, new int[] {0, 0, 0, 0}, 1);
    assertTrue(conv2d(a, x, w).floatData()[0] == 1f, "float32 conv2d must accumulate in float");
    assertTrue(conv2d(a, f64(x), f64(w)).getDouble(0) == 1 + 0x1p-23, "float64 conv2d accumulates in double");
    same("nn.conv2d", a, x, w);
    NDArray dx = NDArray.zeros(dev.kbyoc.ir.DType.FLOAT32, 1, 3);
    System.arraycopy(xs, 0, dx.floatData(), 0, 3);
    NDArray dw = NDArray.zeros(dev.kbyoc.ir.DType.FLOAT32, 1, 3);
    java.util.Arrays.fill(dw.floatData(), 1f);
    same("nn.dense", Attrs.empty(), dx, dw);
  }

  private static NDArray conv2d(Attrs attrs, NDArray x, NDArray w) {
    OpDef def = OpDef.of("nn.conv2d");
    Attrs full = attrs.withDefaults(def.attrs());
    Type out = def.inferType(List.of(x.type(), w.type()), full);
    return def.kernel().compute(List.of(x, w), full, out).asTensor();
  }

  private static NDArray f64(NDArray a) {
    NDArray b = NDArray.zeros(dev.kbyoc.ir.DType.FLOAT64, a.shape());
    for (int i = 0; i < a.size(); i++) {
      b.setDouble(i, a.getDouble(i));
    }
    return b;
  }

  private static NDArray abs(NDArray a) {
    NDArray b = a.copy();
    float[] d = b.floatData();
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.abs(d[i]);
    }
    return b;
  }

  @Test
  void poolsMatchReference() {
    for (int t = 0; t < 30; t++) {
      int kh = 1 + rnd.nextInt(4);
      int kw = 1 + rnd.nextInt(4);
      Attrs a = Attrs.of("pool_size", List.of((long) kh, (long) kw),
          "strides", List.of(1L + rnd.nextInt(3), 1L + rnd.nextInt(3)),
          "dilation", List.of(1L + rnd.nextInt(2), 1L + rnd.nextInt(2)),
          "padding", List.of((long) rnd.nextInt(kh), (long) rnd.nextInt(kw), (long) rnd.nextInt(kh), (long) rnd.nextInt(kw)),
          "ceil_mode", rnd.nextBoolean());
      NDArray x = random(1 + rnd.nextInt(2), 1 + rnd.nextInt(4), 2 * kh + rnd.nextInt(7), 2 * kw + rnd.nextInt(7));
      same("nn.max_pool2d", a, x);
      same("nn.avg_pool2d", a, x);
      same("nn.avg_pool2d", a.with("count_include_pad", true), x);
    }
    // signed zeros (+0 wins in either order), NaN (propagates), -infinity (the start is -MAX_VALUE)
    NDArray z = NDArray.of(new float[] {-0f, 0f, 0f, -0f, Float.NaN, 1f, -2f, 3f, Float.NEGATIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 1, 1, 3, 4);
    same("nn.max_pool2d", Attrs.of("pool_size", List.of(1L, 2L), "strides", List.of(1L, 2L)), z);
    same("nn.max_pool2d", Attrs.of("pool_size", List.of(2L, 2L), "strides", List.of(1L, 1L), "padding",
        List.of(1L, 1L, 1L, 1L)), z);
  }

  @Test
  void denseMatchesReference() {
    for (int t = 0; t < 20; t++) {
      int rows = 1 + rnd.nextInt(5);
      int k = 1 + rnd.nextInt(300);
      int units = 1 + rnd.nextInt(11);
      NDArray x = random(rows, k);
      NDArray w = random(units, k);
      same("nn.dense", Attrs.empty(), x, w);
      same("nn.dense", Attrs.empty(), oneHot(x, rnd.nextInt(x.size())), w);
    }
    same("nn.dense", Attrs.empty(), random(2, 3, 7), random(5, 7));
    same("nn.dense", Attrs.empty(), random(1, 300), random(17, 300));
  }

  @Test
  void elementwiseAndChannelOpsMatchReference() {
    for (String op : List.of("add", "subtract", "multiply", "divide")) {
      same(op, Attrs.empty(), random(2, 3, 4, 5), random(2, 3, 4, 5));
      same(op, Attrs.empty(), random(2, 3, 4, 5), random(3, 1, 1));
      same(op, Attrs.empty(), random(1, 3, 1, 5), random(4, 1));
      same(op, Attrs.empty(), random(4), random());
      same(op, Attrs.empty(), random(), random(2, 2));
    }
    NDArray x = random(2, 6, 3, 4);
    x.floatData()[0] = -0.0f;
    x.floatData()[1] = Float.NaN;
    same("nn.relu", Attrs.empty(), x);
    same("clip", Attrs.of("a_min", 0.0, "a_max", 6.0), x);
    same("clip", Attrs.of("a_min", -0.3, "a_max", 0.7), x);
    same("nn.bias_add", Attrs.empty(), random(2, 6, 3, 4), random(6));
    same("nn.bias_add", Attrs.of("axis", -1L), random(2, 6, 3, 4), random(4));
    same("nn.global_avg_pool2d", Attrs.empty(), random(2, 5, 7, 3));
    NDArray var = random(6);
    for (int i = 0; i < 6; i++) {
      var.floatData()[i] = Math.abs(var.floatData()[i]);
    }
    same("nn.batch_norm", Attrs.empty(), random(2, 6, 3, 4), random(6), random(6), random(6), var);
    same("nn.batch_norm", Attrs.of("axis", 3L, "center", false, "scale", false, "epsilon", 1e-3),
        random(2, 3, 5, 6), random(6), random(6), random(6), var);
  }

  @Test
  void nonFloatInputsFallBackToTheReference() {
    NDArray a = NDArray.ofInt32(new int[] {1, -2, 3, 2_000_000_000}, 4);
    NDArray b = NDArray.ofInt32(new int[] {5, 6, -7, 2_000_000_000}, 4);
    Attrs full = Attrs.empty();
    Value v = FastKernels.all().get("add").compute(List.of(a, b), full, new TensorType(new int[] {4},
        dev.kbyoc.ir.DType.INT32));
    assertArrayEquals(new int[] {6, 4, -4, (int) 4_000_000_000L}, v.asTensor().intData());
  }
}
