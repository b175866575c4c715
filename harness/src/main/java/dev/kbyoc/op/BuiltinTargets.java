package dev.kbyoc.op;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The built-in targets of this package. {@code kendryte} is, for now, the op list the K210 KPU
 * and its CPU layers can take (every call of a listed op); the Kendryte backend replaces it with
 * its rule set (shapes, kernel sizes, channel limits) through its own {@link TargetLibrary}.
 * Ops not registered in this build are skipped, so the list may name ops ahead of them.
 */
public final class BuiltinTargets implements TargetLibrary {
  /** The ops of the provisional {@code kendryte} target. */
  public static final List<String> KENDRYTE_OPS = List.of(
      "nn.conv2d", "nn.bias_add", "nn.batch_norm", "nn.relu", "nn.leaky_relu", "clip", "add",
      "nn.max_pool2d", "nn.avg_pool2d", "nn.global_avg_pool2d", "concatenate", "nn.dense",
      "nn.batch_flatten", "nn.softmax", "image.resize2d");

  @Override
  public Collection<Target> targets() {
    List<String> present = new ArrayList<>();
    for (String op : KENDRYTE_OPS) {
      if (dev.kbyoc.ir.Op.exists(op)) {
        present.add(op);
      }
    }
    return List.of(Target.ofOps("kendryte", present));
  }
}
