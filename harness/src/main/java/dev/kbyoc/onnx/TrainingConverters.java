package dev.kbyoc.onnx;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * BatchNormalization with {@code training_mode=1} (opset 14+), decomposed into Relay ops:
 * the batch statistics {@code m = mean(x)} and {@code v = mean((x - m)^2)} over every axis but the
 * channel axis (population variance, as numpy's {@code var}), {@code Y = nn.batch_norm(x, scale,
 * B, m, v)}, and the running statistics {@code input_mean * momentum + m * (1 - momentum)} (the
 * same for the variance) as the optional outputs 1 and 2.
 */
final class TrainingConverters {
  private TrainingConverters() {}

  static List<Expr> batchNormTraining(ImportContext cx) {
    TensorType t = cx.type(0);
    if (t.rank() < 2) {
      throw cx.error("input must have a channel axis, got " + t);
    }
    DType dt = t.dtype();
    int[] axes = new int[t.rank() - 1];
    for (int d = 0, k = 0; d < t.rank(); d++) {
      if (d != 1) {
        axes[k++] = d;
      }
    }
    Attrs keep = Attrs.of("axis", axes, "keepdims", true);
    Expr x = cx.input(0);
    Expr m = cx.call("mean", keep, x);
    Expr d = cx.call("subtract", x, m);
    Expr v = cx.call("mean", keep, cx.call("multiply", d, d));
    Attrs channel = Attrs.of("newshape", new int[] {t.dim(1)});
    Expr mc = cx.call("reshape", channel, m);
    Expr vc = cx.call("reshape", channel, v);
    Attrs a = Attrs.of("axis", 1, "epsilon", cx.attrs().getFloat("epsilon", 1e-5));
    Expr bn = cx.call("nn.batch_norm", a, x, cx.input(1), cx.input(2), mc, vc);
    List<Expr> outs = new ArrayList<>();
    outs.add(cx.getItem(bn, 0));
    double momentum = cx.attrs().getFloat("momentum", 0.9);
    Expr[] batch = {mc, vc};
    for (int k = 1; k < cx.node().getOutputCount() && k <= 2; k++) {
      Expr running = cx.call("multiply", cx.input(2 + k), cx.scalar(momentum, dt));
      outs.add(cx.call("add", running, cx.call("multiply", batch[k - 1], cx.scalar(1 - momentum, dt))));
    }
    if (cx.node().getOutputCount() > 3) {
      throw cx.error("training-mode BatchNormalization has at most 3 outputs, got " + cx.node().getOutputCount());
    }
    return outs;
  }
}
