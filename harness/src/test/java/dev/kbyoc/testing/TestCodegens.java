package dev.kbyoc.testing;

import dev.kbyoc.build.Codegen;
import dev.kbyoc.build.CodegenLibrary;
import dev.kbyoc.build.ConstantUpdater;
import dev.kbyoc.build.SubgraphCodegen;
import dev.kbyoc.op.Target;
import dev.kbyoc.op.TargetLibrary;
import dev.kbyoc.op.Targets;
import dev.kbyoc.runtime.ModuleLoaderLibrary;
import dev.kbyoc.runtime.ModuleLoaders;
import dev.kbyoc.runtime.SubgraphModule;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A test-only accelerator, {@code hostembed}, for build, package, runtime and fuzz tests that need
 * "an accelerator that embeds its constants and takes many ops" but not the Kendryte one: an
 * op-list target (every call of {@link #OPS}, any shape), the codegen {@code relay.ext.hostembed}
 * compiling any region to a {@link SubgraphModule} run with the host kernels with its constants
 * embedded in the blob (as a kmodel embeds its weights), a registered constant updater returning
 * nothing, and the {@code hostembed} module loader. Results equal the host kernels exactly on any
 * shape, which the real Kendryte codegen (conv chains only; float32 rounding or uint8) does not
 * give. Registered through the test class path's service files, so it exists in every test JVM
 * (and in no product build).
 */
public final class TestCodegens implements TargetLibrary, CodegenLibrary, ModuleLoaderLibrary {
  /** The target, compiler and module type name. */
  public static final String EMBEDDING = "hostembed";
  /** The ops the target offloads. */
  public static final List<String> OPS = List.of("nn.conv2d", "nn.bias_add", "nn.relu", "add", "nn.max_pool2d",
      "nn.global_avg_pool2d", "nn.batch_flatten", "nn.dense", "nn.softmax");

  /** The registered {@code hostembed} target. */
  public static Target target() {
    return Targets.get(EMBEDDING);
  }

  @Override
  public Collection<Target> targets() {
    return List.of(Target.ofOps(EMBEDDING, OPS));
  }

  @Override
  public Map<String, Codegen> codegens() {
    return Map.of(EMBEDDING, new SubgraphCodegen(EMBEDDING, true));
  }

  @Override
  public Map<String, ConstantUpdater> constantUpdaters() {
    return Map.of(EMBEDDING, (f, symbol) -> Map.of());
  }

  @Override
  public Map<String, ModuleLoaders.Loader> loaders() {
    return Map.of(EMBEDDING, SubgraphModule.loader(EMBEDDING));
  }
}
