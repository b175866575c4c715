package dev.kbyoc.cli;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a model for a subcommand through {@link dev.kbyoc.runtime.ModelLoader}, so every command
 * follows one convention: Relay text ({@code .relay}) with the sidecar {@code <model>.params}
 * (meta constants and named weights) plus an optional {@code --params} file, or ONNX
 * ({@code .onnx}, initializers become params). Returns the typed module and the params to bind by
 * name.
 */
final class ModelLoader {
  /** A loaded model: typed module and the weights to bind into {@code main} by name. */
  record Loaded(IRModule module, Map<String, NDArray> params) {}

  private ModelLoader() {}

  static Loaded load(Path model, Path paramsFile) {
    dev.kbyoc.runtime.ModelLoader.Model m = dev.kbyoc.runtime.ModelLoader.load(model, paramsFile);
    m.module().main();
    return new Loaded(m.module(), m.params());
  }
}
