package dev.kbyoc.kendryte;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import java.util.List;
import org.junit.jupiter.api.Test;

class KendryteRulesTest {
  static Var v(String n, int... shape) {
    return new Var(n, TensorType.f32(shape));
  }

  static Call typed(String op, Attrs attrs, Expr... args) {
    Call c = Call.op(op, List.of(args), attrs);
    InferType.inferExpr(c);
    return c;
  }

  static dev.kbyoc.ir.Constant k(int... shape) {
    return new dev.kbyoc.ir.Constant(dev.kbyoc.ir.NDArray.zeros(dev.kbyoc.ir.DType.FLOAT32, shape));
  }

  static Call conv(int[] in, int[] w, Object... attrs) {
    return typed("nn.conv2d", Attrs.of(attrs), v("x", in), k(w));
  }

  static void rejects(Call c, String... fragments) {
    String r = KendryteRules.check(c);
    assertTrue(r != null, "expected a reason for " + c);
    for (String f : fragments) {
      assertTrue(r.contains(f), "[" + r + "] lacks [" + f + "]");
    }
    assertTrue(!r.contains("\n"));
  }

  @Test
  void convolutions() {
    assertNull(KendryteRules.check(conv(new int[] {1, 3, 8, 8}, new int[] {16, 3, 3, 3}, "padding", List.of(1L, 1L))));
    assertNull(KendryteRules.check(conv(new int[] {1, 8, 4, 512}, new int[] {8, 8, 1, 1})));
    assertNull(KendryteRules.check(conv(new int[] {1, 8, 16, 16}, new int[] {8, 1, 3, 3}, "padding", List.of(1L, 1L),
        "groups", 8L)));
    assertNull(KendryteRules.check(conv(new int[] {1, 8, 16, 16}, new int[] {8, 8, 3, 3}, "padding", List.of(1L, 1L),
        "strides", List.of(2L, 2L))));
    rejects(conv(new int[] {1, 3, 8, 8}, new int[] {4, 3, 5, 5}, "padding", List.of(2L, 2L)), "kernel 5x5");
    rejects(conv(new int[] {1, 3, 8, 8}, new int[] {4, 3, 3, 3}), "padding [0, 0, 0, 0]", "SAME");
    rejects(conv(new int[] {1, 3, 8, 8}, new int[] {4, 3, 3, 3}, "padding", List.of(0L, 0L, 1L, 1L),
        "strides", List.of(2L, 2L)), "padding [0, 0, 1, 1]");
    rejects(conv(new int[] {1, 3, 9, 8}, new int[] {4, 3, 3, 3}, "padding", List.of(1L, 1L),
        "strides", List.of(2L, 2L)), "even height and width");
    rejects(conv(new int[] {1, 3, 3, 8}, new int[] {4, 3, 1, 1}), "height 3");
    rejects(conv(new int[] {1, 3, 257, 8}, new int[] {4, 3, 1, 1}), "height 257");
    rejects(conv(new int[] {1, 3, 8, 513}, new int[] {4, 3, 1, 1}), "width 513");
    rejects(conv(new int[] {1, 1025, 8, 8}, new int[] {4, 1025, 1, 1}), "1025 channels");
    rejects(conv(new int[] {1, 4, 8, 8}, new int[] {1025, 4, 1, 1}), "1025 output channels");
    rejects(conv(new int[] {2, 4, 8, 8}, new int[] {4, 4, 1, 1}), "batch 2");
    rejects(conv(new int[] {1, 4, 8, 8}, new int[] {4, 4, 3, 3}, "padding", List.of(2L, 2L), "dilation",
        List.of(2L, 2L)), "dilation");
    rejects(conv(new int[] {1, 8, 8, 8}, new int[] {8, 4, 1, 1}, "groups", 2L), "groups 2");
    // 256 x 512 x 1024 channels: 1024 lines/channel-group... input + output exceed 2 MiB.
    rejects(conv(new int[] {1, 64, 256, 512}, new int[] {64, 64, 1, 1}), "KPU RAM", "2097152");
  }

  @Test
  void poolsAndFusedOps() {
    Var x = v("x", 1, 8, 16, 16);
    assertNull(KendryteRules.check(typed("nn.max_pool2d", Attrs.of("pool_size", List.of(2L, 2L), "strides",
        List.of(2L, 2L)), x)));
    assertNull(KendryteRules.check(typed("nn.avg_pool2d", Attrs.of("pool_size", List.of(4L, 4L), "strides",
        List.of(4L, 4L)), x)));
    rejects(typed("nn.max_pool2d", Attrs.of("pool_size", List.of(3L, 3L), "strides", List.of(2L, 2L)), x),
        "not a KPU pool");
    assertNull(KendryteRules.check(typed("nn.relu", Attrs.empty(), x)));
    assertNull(KendryteRules.check(typed("clip", Attrs.of("a_min", 0.0, "a_max", 6.0), x)));
    rejects(typed("clip", Attrs.of("a_min", -1.0, "a_max", 1.0), x), "clip(0, 6)");
    assertNull(KendryteRules.check(typed("nn.bias_add", Attrs.empty(), x, k(8))));
    assertNull(KendryteRules.check(typed("nn.conv2d", Attrs.empty(), x, v("w", 4, 8, 1, 1))));
    assertNull(KendryteRules.check(typed("add", Attrs.empty(), x, k(1, 8, 1, 1))));
    assertNull(KendryteRules.check(typed("add", Attrs.empty(), x, v("y", 1, 8, 16, 16))));
    rejects(typed("add", Attrs.empty(), x, v("y", 1, 1, 16, 16)), "per-channel bias or the sum of two tensors");
    rejects(typed("nn.relu", Attrs.empty(), v("y", 1, 8, 2, 16)), "height 2");
    // After a supported conv the fused op takes the conv's limits, even on a small stride-2 output.
    Call s2 = conv(new int[] {1, 8, 4, 4}, new int[] {8, 8, 1, 1}, "strides", List.of(2L, 2L));
    assertNull(KendryteRules.check(typed("nn.relu", Attrs.empty(), s2)));
    rejects(typed("nn.max_pool2d", Attrs.of("pool_size", List.of(2L, 2L), "strides", List.of(2L, 2L)),
        typed("nn.relu", Attrs.empty(), conv(new int[] {1, 8, 8, 8}, new int[] {8, 8, 1, 1}, "strides",
            List.of(2L, 2L)))), "stride-2");
    // A layer of its own holds its input and output maps in KPU RAM: 320 x 64 x 64 takes 20480 lines
    // (one 64-byte line per 64-wide row) = 1310720 bytes, twice that with an output of up to its size.
    Var big = v("big", 1, 320, 64, 64);
    rejects(typed("nn.relu", Attrs.empty(), big), "2621440 bytes of KPU RAM");
    rejects(typed("nn.max_pool2d", Attrs.of("pool_size", List.of(2L, 2L), "strides", List.of(2L, 2L)), big),
        "2621440 bytes of KPU RAM");
    assertNull(KendryteRules.check(typed("nn.relu", Attrs.empty(), v("half", 1, 160, 64, 64))));
    rejects(typed("tanh", Attrs.empty(), x), "tanh: not supported");
    assertNull(KendryteRules.check(typed("nn.dense", Attrs.empty(), v("d", 1, 64), k(10, 64))));
    rejects(typed("nn.softmax", Attrs.of("axis", 1L), x), "rank 4 axis 1");
  }

  @Test
  void targetUsesTheRules() {
    dev.kbyoc.op.Target t = KendryteTarget.target();
    assertTrue(t.ops().contains("nn.conv2d") && t.ops().contains("nn.dense") && !t.ops().contains("transpose"),
        t.toString());
    assertTrue(t.check(conv(new int[] {1, 3, 8, 8}, new int[] {4, 3, 1, 1})).supported());
    dev.kbyoc.op.Support no = t.check(conv(new int[] {1, 3, 8, 8}, new int[] {4, 3, 5, 5}, "padding", List.of(2L, 2L)));
    assertTrue(!no.supported() && no.reason().contains("kernel 5x5"), no.toString());
    assertTrue(!t.check(typed("nn.softmax", Attrs.of("axis", 1L), v("s", 1, 8, 4, 4))).supported());
  }
}
