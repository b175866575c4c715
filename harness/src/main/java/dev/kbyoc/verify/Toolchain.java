package dev.kbyoc.verify;

import dev.kbyoc.ir.IRModule;

/**
 * The compiler under test, as the oracles drive it: one method per pipeline stage. The real
 * implementation ({@link Toolchains#standard}) calls the project's passes; tests may substitute a
 * stage (e.g. a hand-built faulty partition) to prove that an oracle catches it.
 */
public interface Toolchain {
  /** {@code bind_params_by_name} of the case's weights into {@code @main}. */
  IRModule bind(GraphCase c);

  /** AnnotateTarget + MergeCompilerRegions on a bound, typed module: annotated, merged regions. */
  IRModule merge(IRModule bound, String target);

  /** PartitionGraph (+ InferType) on a merged module. */
  IRModule partition(IRModule merged);

  /** {@code relay.build} of a module (partitioned or not) for the graph executor. */
  dev.kbyoc.build.BuildResult build(IRModule module);

  /** The support predicate the partition used. */
  SupportRule support();

  /** The target object of a name as the partition uses it (region check included), or null. */
  default dev.kbyoc.op.Target target(String name) {
    return dev.kbyoc.op.Targets.exists(name) ? dev.kbyoc.op.Targets.get(name) : null;
  }
}
