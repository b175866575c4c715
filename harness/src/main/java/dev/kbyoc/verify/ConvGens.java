package dev.kbyoc.verify;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import java.util.List;

/**
 * Generators for NCHW layers whose shape rules are solved rather than sampled: kernel, stride
 * and padding are drawn so that the output is at least 1x1, weights get the matching shape and a
 * 1/fan-in scale so activations stay bounded.
 */
final class ConvGens {
  private ConvGens() {}

  static boolean conv2d(GraphBuilder b) {
    Expr x = b.operand(4);
    int[] s = x.tensorType().shape();
    int c = s[1];
    int h = Math.min(s[2], s[3]);
    int k = h >= 3 && b.rng.nextInt(3) > 0 ? 3 : 1;
    int pad = k == 3 && b.rng.nextBoolean() ? 1 : 0;
    int stride = h + 2 * pad - k >= 2 && b.rng.nextInt(4) == 0 ? 2 : 1;
    boolean depthwise = c > 1 && b.rng.nextInt(4) == 0;
    int groups = depthwise ? c : 1;
    int out = depthwise ? c : 1 + b.rng.nextInt(b.options.maxChannels());
    int fanIn = (c / groups) * k * k;
    Expr w = b.weight(new int[] {out, c / groups, k, k}, 1.0 / fanIn);
    Attrs a = Attrs.of("strides", List.of((long) stride, (long) stride), "padding",
        List.of((long) pad, (long) pad, (long) pad, (long) pad), "groups", (long) groups, "channels", (long) out,
        "kernel_size", List.of((long) k, (long) k));
    return b.call("nn.conv2d", List.of(x, w), a) != null;
  }

  /** Pool size p <= H + 2 pad, stride 1 or 2, padding only below the pool size. */
  static boolean pool(GraphBuilder b, String op) {
    Expr x = b.operand(4);
    int[] s = x.tensorType().shape();
    int h = Math.min(s[2], s[3]);
    int p = h >= 2 && b.rng.nextBoolean() ? 2 : 1 + b.rng.nextInt(Math.min(3, h));
    int stride = 1 + b.rng.nextInt(2);
    int pad = p > 1 && b.rng.nextInt(3) == 0 ? 1 : 0;
    Attrs a = Attrs.of("pool_size", List.of((long) p, (long) p), "strides", List.of((long) stride, (long) stride),
        "padding", List.of((long) pad, (long) pad, (long) pad, (long) pad));
    return b.call(op, List.of(x), a) != null;
  }

  static boolean biasAdd(GraphBuilder b) {
    Expr x = b.operand(OpGens.rank(b));
    int c = x.tensorType().dim(1);
    return b.call("nn.bias_add", List.of(x, b.weight(new int[] {c}, 1.0)), Attrs.of("axis", 1L)) != null;
  }

  /** batch_norm returns (out, mean, var); field 0 is used, so a TupleGetItem follows. */
  static boolean batchNorm(GraphBuilder b) {
    Expr x = b.operand(4);
    int c = x.tensorType().dim(1);
    Expr gamma = b.weight(new int[] {c}, 1.0);
    Expr beta = b.weight(new int[] {c}, 1.0);
    Expr mean = b.weight(new int[] {c}, 0.5);
    Expr var = b.positive(new int[] {c});
    Call call = b.call("nn.batch_norm", List.of(x, gamma, beta, mean, var), Attrs.of("axis", 1L, "epsilon", 1e-3));
    if (call == null) {
      return false;
    }
    b.project(call, 0);
    return true;
  }

  static boolean dense(GraphBuilder b) {
    Expr x = b.operand(2);
    int k = x.tensorType().dim(1);
    int units = 1 + b.rng.nextInt(16);
    return b.call("nn.dense", List.of(x, b.weight(new int[] {units, k}, 1.0 / k)), Attrs.of("units", (long) units)) != null;
  }
}
