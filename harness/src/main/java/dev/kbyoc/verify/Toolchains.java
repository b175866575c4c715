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
import dev.kbyoc.pass.LegalizeRegions;
import dev.kbyoc.pass.PartitionGraph;
import java.util.List;

/**
 * The project's own pipeline as a {@link Toolchain}: BindParams, AnnotateTarget, Merge, Partition,
 * LegalizeRegions. A case whose options list {@code supportedOps} targets the ad-hoc target of
 * those ops ({@link Target#ofOps}, as {@code --supported-ops} defines it) instead of a built-in one.
 */
public final class Toolchains {
  private Toolchains() {}

  /** The standard toolchain over the built-in targets ({@link Targets}), building in float mode. */
  public static Toolchain standard() {
    return new Standard(null, BuildOptions.DEFAULT);
  }

  /** The standard toolchain building with {@code options} (e.g. {@code --quantize uint8}). */
  public static Toolchain standard(BuildOptions options) {
    return new Standard(null, options);
  }

  /**
   * The standard toolchain for cases generated or loaded with {@code options}: over the built-in
   * targets when {@code supportedOps} is empty, else with the ad-hoc target {@code target}
   * supporting exactly those ops (it replaces a built-in target of that name).
   */
  public static Toolchain forOptions(GenOptions options) {
    if (options.supportedOps().isEmpty()) {
      return standard();
    }
    return new Standard(Target.ofOps(options.target(), List.copyOf(new java.util.TreeSet<>(options.supportedOps()))),
        BuildOptions.DEFAULT);
  }

  /** The target of a name: a built-in one. */
  static Target target(String name) {
    return Targets.get(name);
  }

  private static final class Standard implements Toolchain {
    /** The ad-hoc target, or null for built-in targets only. */
    private final Target adHoc;
    private final BuildOptions options;

    Standard(Target adHoc, BuildOptions options) {
      this.adHoc = adHoc;
      this.options = options;
    }

    /** The ad-hoc or built-in target of a name; a one-line error naming the built-in ones otherwise. */
    private Target resolve(String name) {
      return adHoc != null && adHoc.name().equals(name) ? adHoc : Toolchains.target(name);
    }

    @Override
    public Target target(String name) {
      return adHoc != null && adHoc.name().equals(name) ? adHoc : Targets.exists(name) ? Targets.get(name) : null;
    }

    @Override
    public IRModule bind(GraphCase c) {
      return InferType.run(BindParams.run(c.module(), c.params()));
    }

    @Override
    public IRModule merge(IRModule bound, String target) {
      return MergeCompilerRegions.run(AnnotateTarget.run(bound, List.of(resolve(target))));
    }

    @Override
    public IRModule partition(IRModule merged) {
      // Regions a built-in target's codegen cannot compile go back to the host, as in PartitionFlow.
      java.util.Map<String, Target> targets = new java.util.TreeMap<>(Targets.all());
      if (adHoc != null) {
        targets.put(adHoc.name(), adHoc);
      }
      return LegalizeRegions.run(PartitionGraph.run(merged), List.copyOf(targets.values())).module();
    }

    @Override
    public BuildResult build(IRModule module) {
      return RelayBuild.build(module, java.util.Map.of(), options);
    }

    @Override
    public SupportRule support() {
      return (t, call) -> resolve(t).check(call).supported();
    }
  }
}
