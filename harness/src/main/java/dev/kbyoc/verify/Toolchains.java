package dev.kbyoc.verify;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.op.Target;
import dev.kbyoc.op.Targets;
import dev.kbyoc.pass.AnnotateTarget;
import dev.kbyoc.pass.BindParams;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.pass.MergeCompilerRegions;
import dev.kbyoc.pass.PartitionGraph;
import java.util.List;

/** The project's own pipeline as a {@link Toolchain}: BindParams, AnnotateTarget, Merge, Partition. */
public final class Toolchains {
  private Toolchains() {}

  /** The standard toolchain over the built-in targets ({@link Targets}). */
  public static Toolchain standard() {
    return new Standard();
  }

  /** The target of a name: a built-in one. */
  static Target target(String name) {
    return Targets.get(name);
  }

  private static final class Standard implements Toolchain {
    @Override
    public IRModule bind(GraphCase c) {
      return InferType.run(BindParams.run(c.module(), c.params()));
    }

    @Override
    public IRModule merge(IRModule bound, String target) {
      return MergeCompilerRegions.run(AnnotateTarget.run(bound, List.of(target(target))));
    }

    @Override
    public IRModule partition(IRModule merged) {
      return PartitionGraph.run(merged);
    }

    @Override
    public BuildResult build(IRModule module) {
      return RelayBuild.build(module, java.util.Map.of(), BuildOptions.DEFAULT);
    }

    @Override
    public SupportRule support() {
      return (t, call) -> target(t).check(call).supported();
    }
  }
}
