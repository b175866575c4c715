package dev.kbyoc.build;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Faults;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.pass.BindParams;
import dev.kbyoc.pass.DataflowOrder;
import dev.kbyoc.pass.FuseOps;
import dev.kbyoc.pass.SimplifyInference;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.HostModule;
import dev.kbyoc.runtime.RuntimeModule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code relay.build} for the graph executor: binds params, compiles every partitioned function
 * with its registered codegen and hands its constants to the graph params through its constant
 * updater, fuses and lowers the host part to a graph plus a host module, then enforces the
 * {@link ConstantInvariant}.
 *
 * <p><b>Steps:</b> 1. bind {@code params} to {@code @main}'s parameters by name; 2. for each
 * external function in call order: {@code relay.ext.<compiler>} compiles it (with the quantize
 * mode and calibration inputs of the options), and
 * {@code relay.ext.<compiler>.constant_updater} (or the default updater when none is registered or
 * {@link BuildOptions#forceDefaultUpdater()}) adds params; 3. {@link SimplifyInference} (batch norm
 * to a per-channel multiply and add, dropout to its input) and {@link FuseOps}; 4.
 * {@link GraphLowering} with storage planning; 5. the invariant check.
 */
public final class RelayBuild {
  private RelayBuild() {}

  public static BuildResult build(IRModule module, Map<String, NDArray> params, BuildOptions options) {
    IRModule m = params.isEmpty() ? module : BindParams.run(module, params);
    InferType.run(m);
    Map<String, NDArray> graphParams = new LinkedHashMap<>();
    List<ConstantInvariant.External> externals = new ArrayList<>();
    Set<String> done = new HashSet<>();
    for (Expr e : DataflowOrder.of(m.main().body())) {
      if (e instanceof Call c && c.op() instanceof GlobalVar g && done.add(g.name())) {
        Function f = m.get(g.name());
        if (f.compiler() == null) {
          throw new KbyocException("@main calls @" + g.name() + ", which is not an external (Compiler) function; the graph executor cannot call host globals");
        }
        RuntimeModule mod = CodegenRegistry.codegen(f.compiler()).compile(f, g.name(), options);
        ConstantUpdater updater = options.forceDefaultUpdater() || Faults.on(Faults.Fault.DEFAULT_CONSTANT_UPDATER) ? DefaultConstantUpdater.INSTANCE
            : CodegenRegistry.registeredUpdater(f.compiler()).orElse(DefaultConstantUpdater.INSTANCE);
        for (Map.Entry<String, NDArray> p : updater.update(f, g.name()).entrySet()) {
          if (graphParams.put(p.getKey(), p.getValue()) != null) {
            throw new KbyocException("constant updater of @" + g.name() + " produced param \"" + p.getKey() + "\" twice");
          }
        }
        externals.add(new ConstantInvariant.External(g.name(), f, mod));
      }
    }
    IRModule fused = FuseOps.run(SimplifyInference.run(m));
    GraphLowering lowering = new GraphLowering(fused.main(), graphParams);
    var graph = lowering.lower();
    List<RuntimeModule> modules = new ArrayList<>();
    modules.add(HostModule.create(lowering.hostFunctions()));
    externals.forEach(x -> modules.add(x.module()));
    List<String> warnings = ConstantInvariant.check(graph, graphParams, modules, externals, options.forceDefaultUpdater() || Faults.on(Faults.Fault.DEFAULT_CONSTANT_UPDATER));
    return new BuildResult(graph, graphParams, modules, warnings);
  }
}
