package dev.kbyoc.kendryte.backend;

import dev.kbyoc.kendryte.codegen.QuantizeMode;
import dev.kbyoc.build.Codegen;
import dev.kbyoc.build.CodegenLibrary;
import dev.kbyoc.build.ConstantUpdater;
import dev.kbyoc.ir.Function;
import dev.kbyoc.kendryte.KendryteTarget;
import dev.kbyoc.kendryte.codegen.KendryteCodegen;
import dev.kbyoc.kendryte.codegen.KmodelFunction;
import dev.kbyoc.kendryte.sim.SimMode;
import dev.kbyoc.op.Target;
import dev.kbyoc.op.TargetLibrary;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.ModuleLoaderLibrary;
import dev.kbyoc.runtime.ModuleLoaders;
import dev.kbyoc.runtime.SubgraphModule;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Registers the Kendryte backend (one service class for the three registries): the
 * {@code kendryte} target (priority 10, replacing the provisional op list of
 * {@code op.BuiltinTargets}) whose op predicates are {@code KendryteRules} and whose region check
 * is the codegen's own matcher ({@link KendryteCodegen#regionProblem}), so what is offloaded is
 * exactly what {@code relay.ext.kendryte} compiles; the codegen itself (a {@link KendryteModule}
 * per region, calibrated with the codegen's seeded synthetic set); the constant updater
 * {@code relay.ext.kendryte.constant_updater} returning nothing (the kmodel embeds the weights,
 * the seed's fix); and the {@code kendryte} module loader.
 *
 * <p>The loader is always registered (it also reads the placeholder's {@code KBXM} blobs). The
 * target and codegen take effect only when {@link #ENABLED}: the system property
 * {@value #PROPERTY}{@code =kmodel} (e.g. {@code KBYOC_JAVA_OPTS="-Dkbyoc.kendryte.codegen=kmodel"
 * ./kbyoc build ...}); without it {@code relay.ext.kendryte} stays the host-kernel placeholder of
 * {@code build.SubgraphCodegen} and the target the op list of {@code op.BuiltinTargets}, which
 * the build, demo and fuzz tests still assume (see docs/kendryte.md).
 */
public final class KendryteBackend implements TargetLibrary, CodegenLibrary, ModuleLoaderLibrary {
  /** The system property that switches the kmodel codegen and rule-set target on. */
  public static final String PROPERTY = "kbyoc.kendryte.codegen";
  /** Whether {@value #PROPERTY} is {@code kmodel}. */
  public static final boolean ENABLED = "kmodel".equals(System.getProperty(PROPERTY, "placeholder"));

  /** The codegen: a typed region to a kmodel run in uint8 mode. */
  public static final Codegen CODEGEN = KendryteBackend::compile;
  /** The registered constant updater: nothing goes to the params. */
  public static final ConstantUpdater UPDATER = (f, symbol) -> Map.of();

  /** The {@code kendryte} target with the region check. */
  public static Target target() {
    return KendryteTarget.target(KendryteCodegen::regionProblem);
  }

  /** {@code relay.ext.kendryte}: compiles one partitioned function. */
  public static KendryteModule compile(Function fn, String symbol) {
    if (fn.checkedType() == null) {
      InferType.inferExpr(fn);
    }
    return new KendryteModule(KmodelFunction.compile(fn, symbol, List.of(), QuantizeMode.UINT8), SimMode.UINT8);
  }

  @Override
  public Collection<Target> targets() {
    return ENABLED ? List.of(target()) : List.of();
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public Map<String, Codegen> codegens() {
    return ENABLED ? Map.of(KendryteTarget.NAME, CODEGEN) : Map.of();
  }

  @Override
  public Map<String, ConstantUpdater> constantUpdaters() {
    return ENABLED ? Map.of(KendryteTarget.NAME, UPDATER) : Map.of();
  }

  @Override
  public Map<String, ModuleLoaders.Loader> loaders() {
    ModuleLoaders.Loader placeholder = SubgraphModule.loader(SubgraphModule.KENDRYTE);
    return Map.of(KendryteModule.TYPE_KEY, (data, source) -> KendryteModule.isKendryteBlob(data)
        ? KendryteModule.load(data, source) : placeholder.load(data, source));
  }
}
