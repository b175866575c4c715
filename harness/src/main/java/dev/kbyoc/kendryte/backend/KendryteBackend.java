package dev.kbyoc.kendryte.backend;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.Codegen;
import dev.kbyoc.build.CodegenLibrary;
import dev.kbyoc.build.ConstantUpdater;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.KendryteTarget;
import dev.kbyoc.kendryte.codegen.KendryteCodegen;
import dev.kbyoc.kendryte.codegen.KmodelFunction;
import dev.kbyoc.kendryte.codegen.QuantizeMode;
import dev.kbyoc.op.Target;
import dev.kbyoc.op.TargetLibrary;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.ModuleLoaderLibrary;
import dev.kbyoc.runtime.ModuleLoaders;
import dev.kbyoc.runtime.RuntimeModule;
import dev.kbyoc.runtime.SubgraphModule;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Registers the Kendryte backend (one service class for the three registries): the
 * {@code kendryte} target (priority 10) whose op predicates are {@code KendryteRules} and whose
 * region check is the codegen's own matcher ({@link KendryteCodegen#regionProblem}), so what is
 * offloaded is exactly what {@code relay.ext.kendryte} compiles; the codegen itself (a
 * {@link KendryteModule} per region, in the build's {@code --quantize} mode, calibrated with the
 * build's calibration inputs for that region or else the codegen's seeded synthetic set); the
 * constant updater {@code relay.ext.kendryte.constant_updater} returning nothing (the kmodel
 * embeds the weights, the seed's fix); and the {@code kendryte} module loader (which also reads
 * the {@code KBXM} blobs of packages built by kbyoc's earlier host-kernel placeholder).
 */
public final class KendryteBackend implements TargetLibrary, CodegenLibrary, ModuleLoaderLibrary {
  /** The codegen {@code relay.ext.kendryte}. */
  public static final Codegen CODEGEN = new Codegen() {
    @Override
    public RuntimeModule compile(Function fn, String symbol) {
      return KendryteBackend.compile(fn, symbol, BuildOptions.DEFAULT);
    }

    @Override
    public RuntimeModule compile(Function fn, String symbol, BuildOptions options) {
      return KendryteBackend.compile(fn, symbol, options);
    }
  };
  /** The registered constant updater: nothing goes to the params. */
  public static final ConstantUpdater UPDATER = (f, symbol) -> Map.of();

  /** The {@code kendryte} target with the region check. */
  public static Target target() {
    return KendryteTarget.target(KendryteCodegen::regionProblem);
  }

  /**
   * {@code relay.ext.kendryte}: compiles one partitioned function into a kmodel of the options'
   * quantize mode, run on the simulator in the matching mode.
   */
  public static KendryteModule compile(Function fn, String symbol, BuildOptions options) {
    if (fn.checkedType() == null) {
      InferType.inferExpr(fn);
    }
    QuantizeMode mode = QuantizeMode.parse(options.quantize());
    List<NDArray> calibration = options.calibration().getOrDefault(symbol, List.of());
    return new KendryteModule(KmodelFunction.compile(fn, symbol, calibration, mode), mode.simMode());
  }

  @Override
  public Collection<Target> targets() {
    return List.of(target());
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public Map<String, Codegen> codegens() {
    return Map.of(KendryteTarget.NAME, CODEGEN);
  }

  @Override
  public Map<String, ConstantUpdater> constantUpdaters() {
    return Map.of(KendryteTarget.NAME, UPDATER);
  }

  @Override
  public Map<String, ModuleLoaders.Loader> loaders() {
    ModuleLoaders.Loader placeholder = SubgraphModule.loader(SubgraphModule.KENDRYTE);
    return Map.of(KendryteModule.TYPE_KEY, (data, source) -> KendryteModule.isKendryteBlob(data)
        ? KendryteModule.load(data, source) : placeholder.load(data, source));
  }
}
