package dev.kbyoc.op;

import dev.kbyoc.ir.Call;

/**
 * TVM's {@code target.<name>} op attribute ({@code FTVMAnnotateTarget}): decides whether one call
 * of an op may run on a target. It sees the whole call, typed (argument and result types are
 * filled by {@code InferType} before {@code AnnotateTarget} asks), and its attributes.
 */
@FunctionalInterface
public interface SupportPredicate {
  /** Supported, or not with a reason naming the offending attribute or shape. */
  Support check(Call call);

  /** A predicate that accepts every call of the op. */
  static SupportPredicate always() {
    return call -> Support.yes();
  }
}
