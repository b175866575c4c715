package dev.kbyoc.kendryte;

import dev.kbyoc.op.Support;
import dev.kbyoc.op.SupportPredicate;
import dev.kbyoc.op.Target;
import dev.kbyoc.op.TargetLibrary;
import java.util.Collection;
import java.util.List;

/**
 * The {@code kendryte} target for AnnotateTarget from {@link KendryteRules}: each op's {@code
 * target.kendryte} predicate is the rule check, and its reason is what {@code partition --explain}
 * prints. The registered {@link TargetLibrary} is
 * {@code dev.kbyoc.kendryte.backend.KendryteBackend}, which adds the codegen's region check.
 */
public final class KendryteTarget implements TargetLibrary {
  /** The target name. */
  public static final String NAME = "kendryte";
  /** The ops the rules can accept, in registration order. */
  public static final List<String> OPS = List.of("nn.conv2d", "nn.bias_add", "nn.batch_norm", "nn.relu", "clip",
      "add", "nn.max_pool2d", "nn.avg_pool2d", "concatenate", "image.resize2d", "nn.global_avg_pool2d",
      "nn.batch_flatten", "nn.dense", "nn.softmax");

  /** The target from the op rules alone (no region check). */
  public static Target target() {
    return builder().build();
  }

  /** The target with the codegen's whole-region check (see {@link Target#checkRegion}). */
  public static Target target(Target.RegionCheck regionCheck) {
    return builder().regionCheck(regionCheck).build();
  }

  private static Target.Builder builder() {
    Target.Builder b = Target.builder(NAME);
    SupportPredicate p = call -> {
      String r = KendryteRules.check(call);
      return r == null ? Support.yes() : Support.no(r);
    };
    for (String op : OPS) {
      b.op(op, p);
    }
    return b;
  }

  @Override
  public Collection<Target> targets() {
    return List.of(target());
  }

  @Override
  public int priority() {
    return 10;
  }
}
