package dev.kbyoc.cli;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.text.MetaConstants;
import dev.kbyoc.ir.text.RelayParser;
import dev.kbyoc.onnx.OnnxImporter;
import dev.kbyoc.onnx.OnnxModel;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.ParamsFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a model for a subcommand: Relay text ({@code .relay}; {@code meta[relay.Constant][i]}
 * data and named weights from {@code --params}, or from the sidecar {@code <model>.params} when
 * it exists) or ONNX ({@code .onnx}, initializers become params). Returns the typed module and
 * the params to bind by name.
 */
final class ModelLoader {
  /** A loaded model: typed module and the weights to bind into {@code main} by name. */
  record Loaded(IRModule module, Map<String, NDArray> params) {}

  private ModelLoader() {}

  static Loaded load(Path model, Path paramsFile) {
    return load(model, paramsFile, Map.of());
  }

  /** As {@link #load(Path, Path)}; {@code shapes} fixes ONNX input shapes ({@code --shape}). */
  static Loaded load(Path model, Path paramsFile, Map<String, int[]> shapes) {
    String name = model.getFileName() == null ? model.toString() : model.getFileName().toString();
    if (!shapes.isEmpty() && !name.endsWith(".onnx")) {
      throw new KbyocException(model + ": --shape applies to .onnx models only");
    }
    if (name.endsWith(".onnx")) {
      OnnxModel m = OnnxImporter.load(model, OnnxImporter.Options.DEFAULT.withShapes(shapes));
      Map<String, NDArray> params = new LinkedHashMap<>(m.params());
      if (paramsFile != null) {
        params.putAll(ParamsFormat.read(paramsFile));
      }
      return new Loaded(InferType.run(m.module()), params);
    }
    String text;
    try {
      text = Files.readString(model, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new KbyocException(model + ": no such file");
    } catch (IOException e) {
      throw new KbyocException(model + ": cannot read (" + e.getMessage() + ")");
    }
    Path pf = paramsFile;
    if (pf == null) {
      Path sidecar = model.resolveSibling(name.replaceFirst("\\.relay$", "") + ".params");
      if (Files.isRegularFile(sidecar)) {
        pf = sidecar;
      }
    }
    Map<String, NDArray> all = pf == null ? Map.of() : ParamsFormat.read(pf);
    List<NDArray> meta = MetaConstants.fromParams(all, pf == null ? model.toString() : pf.toString());
    Map<String, NDArray> params = new LinkedHashMap<>();
    all.forEach((k, v) -> {
      if (!MetaConstants.isMetaKey(k)) {
        params.put(k, v);
      }
    });
    IRModule module = RelayParser.parse(model.toString(), text, meta, InferType::run);
    module.main();
    return new Loaded(module, params);
  }
}
