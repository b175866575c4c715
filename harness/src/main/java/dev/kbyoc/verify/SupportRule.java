package dev.kbyoc.verify;

import dev.kbyoc.ir.Call;

/**
 * Whether a target supports an op call (the predicate AnnotateTarget consults), as the oracles see
 * it. Implementations wrap the registered per-op predicates so oracle and pass share one rule set.
 */
@FunctionalInterface
public interface SupportRule {
  boolean supported(String target, Call call);
}
