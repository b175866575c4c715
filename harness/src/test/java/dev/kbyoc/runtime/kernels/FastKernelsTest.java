package dev.kbyoc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.TupleValue;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Value;
import dev.kbyoc.op.OpDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast kernels against the reference kernels of {@code dev.kbyoc.op} on random shapes,
 * including padding wider than the window, strides, dilations, groups and depthwise convolutions.
 * They sum the same double products in the same order, so the results must be identical (which is
 * stricter than the float policy); any indexing slip shows up as a mismatch.
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
    if (ref instanceof TupleValue rt) {
      TupleValue ft = (TupleValue) fast;
      assertEquals(rt.fields().size(), ft.fields().size(), what);
      for (int i = 0; i < rt.fields().size(); i++) {
        assertArrayEquals(rt.get(i).asTensor().floatData(), ft.get(i).asTensor().floatData(), what + " field " + i);
      }
    } else {
      assertArrayEquals(ref.asTensor().shape(), fast.asTensor().shape(), what);
      assertArrayEquals(ref.asTensor().floatData(), fast.asTensor().floatData(), what);
    }
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
      same("nn.conv2d", conv(sh, sw, dh, dw, pad, groups), random(n, groups * inPerGroup, h, w),
          random(groups * outPerGroup, inPerGroup, kh, kw));
    }
  }

  @Test
  void depthwiseAndLargeConvsMatchReference() {
    // depthwise 3x3 stride 2 with padding, as in MobileNet; a large 1x1 that takes the parallel path
    same("nn.conv2d", conv(2, 2, 1, 1, new int[] {1, 1, 1, 1}, 32), random(1, 32, 17, 16), random(32, 1, 3, 3));
    same("nn.conv2d", conv(1, 1, 1, 1, new int[] {0, 0, 0, 0}, 1), random(2, 64, 16, 16), random(48, 64, 1, 1));
    // padding larger than the window and a window wider than the padded input on one side
    same("nn.conv2d", conv(1, 3, 1, 1, new int[] {5, 0, 4, 6}, 1), random(1, 2, 3, 4), random(3, 2, 2, 3));
    // stride 1 with many channels, dilation, asymmetric padding, narrow rows, an infinite weight
    same("nn.conv2d", conv(1, 1, 2, 1, new int[] {2, 1, 0, 3}, 1), random(2, 5, 9, 3), random(21, 5, 3, 3));
    same("nn.conv2d", conv(1, 1, 1, 1, new int[] {1, 1, 1, 1}, 2), random(1, 6, 4, 19), random(18, 3, 3, 3));
    NDArray inf = random(8, 2, 3, 3);
    inf.floatData()[5] = Float.POSITIVE_INFINITY;
    same("nn.conv2d", conv(1, 1, 1, 1, new int[] {1, 1, 1, 1}, 1), random(1, 2, 5, 5), inf);
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
  }

  @Test
  void denseMatchesReference() {
    for (int t = 0; t < 20; t++) {
      int rows = 1 + rnd.nextInt(5);
      int k = 1 + rnd.nextInt(300);
      int units = 1 + rnd.nextInt(11);
      same("nn.dense", Attrs.empty(), random(rows, k), random(units, k));
    }
    same("nn.dense", Attrs.empty(), random(2, 3, 7), random(5, 7));
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
