package dev.kbyoc.build;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.op.Target;
import dev.kbyoc.pass.AnnotateTarget;
import dev.kbyoc.pass.BindParams;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.pass.LegalizeRegions;
import dev.kbyoc.pass.MergeCompilerRegions;
import dev.kbyoc.pass.Pass;
import dev.kbyoc.pass.PartitionGraph;
import dev.kbyoc.pass.PassContext;
import java.util.List;
import java.util.Map;

/**
 * The seed's BYOC flow before {@code relay.build}: {@code bind_params_by_name}, then
 * {@code AnnotateTarget}, {@code MergeCompilerRegions} and {@code PartitionGraph} for one target,
 * so the weights become constants inside the regions that use them; then {@code LegalizeRegions}
 * puts back on the host every region the target's codegen cannot compile.
 */
public final class PartitionFlow {
  private PartitionFlow() {}

  /** The passes, in order, for {@code target} with {@code params} bound first. */
  public static Pass passes(Target target, Map<String, NDArray> params) {
    return Pass.sequence("PartitionFlow", InferType.create(), BindParams.create(params), InferType.create(),
        AnnotateTarget.create(List.of(target)), MergeCompilerRegions.create(), PartitionGraph.create(),
        LegalizeRegions.create(List.of(target)));
  }

  /** Runs the flow. */
  public static IRModule run(IRModule module, Map<String, NDArray> params, Target target) {
    PassContext ctx = PassContext.defaults();
    return ctx.run(passes(target, params), module);
  }
}
