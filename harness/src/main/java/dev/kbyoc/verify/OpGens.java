package dev.kbyoc.verify;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The op generators the graph generator draws from: elementwise and broadcasting ops, NCHW
 * convolution and pooling with solved shapes, and tuple-producing ops (split, batch_norm,
 * concatenate). Ops not registered (yet) are skipped, so the mix grows as ops land.
 */
final class OpGens {
  private OpGens() {}

  /** Every generator whose op is registered. */
  static List<OpGen> available() {
    List<OpGen> all = new ArrayList<>();
    for (String u : List.of("nn.relu", "sigmoid", "tanh", "negative", "abs")) {
      all.add(gen(u, b -> unary(b, u, Attrs.empty())));
    }
    all.add(gen("clip", b -> unary(b, "clip", Attrs.of("a_min", -0.5, "a_max", 0.75))));
    all.add(gen("nn.leaky_relu", b -> unary(b, "nn.leaky_relu", Attrs.of("alpha", 0.125))));
    for (String bin : List.of("add", "subtract", "multiply", "maximum", "minimum")) {
      all.add(gen(bin, b -> binary(b, bin)));
    }
    all.add(gen("nn.conv2d", ConvGens::conv2d));
    all.add(gen("nn.max_pool2d", b -> ConvGens.pool(b, "nn.max_pool2d")));
    all.add(gen("nn.avg_pool2d", b -> ConvGens.pool(b, "nn.avg_pool2d")));
    all.add(gen("nn.global_avg_pool2d", b -> b.call("nn.global_avg_pool2d", List.of(b.operand(4)), Attrs.empty()) != null));
    all.add(gen("nn.bias_add", ConvGens::biasAdd));
    all.add(gen("nn.batch_norm", ConvGens::batchNorm));
    all.add(gen("nn.dense", ConvGens::dense));
    all.add(gen("nn.batch_flatten", b -> b.call("nn.batch_flatten", List.of(b.operand(4)), Attrs.empty()) != null));
    all.add(gen("concatenate", OpGens::concatenate));
    all.add(gen("nn.softmax", b -> b.call("nn.softmax", List.of(b.operand(rank(b))), Attrs.of("axis", 1L)) != null));
    all.add(gen("mean", b -> b.call("mean", List.of(b.operand(4)), Attrs.of("axis", List.of(2L, 3L), "keepdims", true)) != null));
    all.add(gen("divide", OpGens::divide));
    all.add(gen("nn.pad", OpGens::pad));
    all.add(gen("transpose", b -> b.call("transpose", List.of(b.operand(4)), Attrs.of("axes", List.of(0L, 1L, 3L, 2L))) != null));
    all.add(gen("split", OpGens::split));
    List<OpGen> out = new ArrayList<>();
    for (OpGen g : all) {
      if (Op.exists(g.op())) {
        out.add(g);
      }
    }
    return out;
  }

  private static OpGen gen(String op, java.util.function.Predicate<GraphBuilder> body) {
    return new OpGen() {
      @Override
      public String op() {
        return op;
      }

      @Override
      public boolean build(GraphBuilder b) {
        return body.test(b);
      }

      @Override
      public String toString() {
        return op;
      }
    };
  }

  static int rank(GraphBuilder b) {
    return b.rng.nextInt(5) == 0 ? 2 : 4;
  }

  private static boolean unary(GraphBuilder b, String op, Attrs attrs) {
    return b.call(op, List.of(b.operand(rank(b))), attrs) != null;
  }

  /** Same-shape operands (a diamond or fan-in) or a broadcast weight: full, per-channel or scalar. */
  private static boolean binary(GraphBuilder b, String op) {
    Expr x = b.operand(rank(b));
    int[] s = x.tensorType().shape();
    Expr y;
    int choice = b.rng.nextInt(4);
    if (choice == 0) {
      y = b.pick(t -> Arrays.equals(t.shape(), s));
      if (y == null) {
        y = b.weight(s, 1.0);
      }
    } else if (choice == 1 && s.length == 4) {
      y = b.weight(new int[] {s[1], 1, 1}, 1.0);
    } else if (choice == 2) {
      y = b.weight(new int[0], 1.0);
    } else {
      y = b.weight(s, 1.0);
    }
    List<Expr> args = b.rng.nextBoolean() ? List.of(x, y) : List.of(y, x);
    return b.call(op, args, Attrs.empty()) != null;
  }

  /** Division by a weight in [0.5, 1.5): never by zero, so values stay finite. */
  private static boolean divide(GraphBuilder b) {
    Expr x = b.operand(rank(b));
    int[] s = x.tensorType().shape();
    return b.call("divide", List.of(x, b.positive(b.rng.nextBoolean() ? s : new int[0])), Attrs.empty()) != null;
  }

  /** Zero padding of the spatial axes by 0..2 on each side (pad value is a scalar constant). */
  private static boolean pad(GraphBuilder b) {
    Expr x = b.operand(4);
    List<List<Long>> pw = List.of(List.of(0L, 0L), List.of(0L, 0L), List.of((long) b.rng.nextInt(3), (long) b.rng.nextInt(3)),
        List.of((long) b.rng.nextInt(3), (long) b.rng.nextInt(3)));
    dev.kbyoc.ir.Constant zero = new dev.kbyoc.ir.Constant(dev.kbyoc.ir.NDArray.scalar(0f));
    zero.setCheckedType(zero.data().type());
    return b.call("nn.pad", List.of(x, zero), Attrs.of("pad_width", pw)) != null;
  }

  /** Two or three values equal in every dim but the channel (or feature) axis, joined along it. */
  private static boolean concatenate(GraphBuilder b) {
    Expr x = b.operand(rank(b));
    int[] s = x.tensorType().shape();
    List<Expr> fields = new ArrayList<>(List.of(x));
    int n = 2 + b.rng.nextInt(2);
    for (int i = 1; i < n; i++) {
      Expr y = b.pick(t -> t.rank() == s.length && sameExceptAxis(t.shape(), s, 1));
      fields.add(y != null && b.rng.nextBoolean() ? y : b.weight(withDim(s, 1, 1 + b.rng.nextInt(4)), 1.0));
    }
    return b.call("concatenate", List.of(b.tuple(fields)), Attrs.of("axis", 1L)) != null;
  }

  /** Splits the channel axis into two equal halves and uses both halves as values. */
  private static boolean split(GraphBuilder b) {
    Expr x = b.pick(t -> t.rank() >= 2 && t.dim(1) % 2 == 0);
    if (x == null) {
      int[] s = b.randomShape(rank(b));
      s[1] = 2 * (1 + b.rng.nextInt(4));
      x = b.newInput(s);
    }
    Call c = b.call("split", List.of(x), Attrs.of("indices_or_sections", 2L, "axis", 1L));
    if (c == null) {
      return false;
    }
    b.project(c, 0);
    b.project(c, 1);
    return true;
  }

  static boolean sameExceptAxis(int[] a, int[] b, int axis) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (i != axis && a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  static int[] withDim(int[] s, int axis, int v) {
    int[] r = s.clone();
    r[axis] = v;
    return r;
  }

  static TensorType t(Expr e) {
    return e.tensorType();
  }
}
