package dev.kbyoc.build;

import dev.kbyoc.op.Target;
import java.util.List;

/**
 * A fixed {@code kendryte} target for build tests: every call of these ops is supported. Tests
 * that assert exact region contents use it so that refining the real Kendryte rules (shapes,
 * kernel sizes) does not change what they check.
 */
final class KendryteOpList {
  static final List<String> OPS = List.of("nn.conv2d", "nn.bias_add", "nn.relu", "add", "nn.max_pool2d",
      "nn.global_avg_pool2d", "nn.batch_flatten", "nn.dense", "nn.softmax");

  private KendryteOpList() {}

  static Target target() {
    return Target.ofOps("kendryte", OPS);
  }
}
