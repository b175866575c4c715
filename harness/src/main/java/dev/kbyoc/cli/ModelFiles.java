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
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a model given on the command line: Relay text ({@code .relay}) with an optional TVM params
 * binary whose {@code meta[relay.Constant][i]} entries feed the text's meta constants and whose
 * other entries are weights to bind by name, or ONNX ({@code .onnx}) whose initialisers are the
 * weights.
 */
final class ModelFiles {
  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

  /** A parsed model and the weights to bind to {@code @main} by name. */
  record Model(IRModule module, Map<String, NDArray> weights) {}

  private ModelFiles() {}

  /** Whether {@code file} is a package (a zip archive) rather than a model. */
  static boolean isPackage(Path file) {
    try (var in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(4);
      return java.util.Arrays.equals(head, ZIP_MAGIC);
    } catch (IOException e) {
      throw new KbyocException(file + ": cannot read (" + e.getClass().getSimpleName() + ")");
    }
  }

  static Model load(Path file, Path params) {
    return load(file, params, java.util.List.of());
  }

  /**
   * Loads a {@code .relay} model (with optional params) or an {@code .onnx} model (initialisers
   * become the weights; {@code shapes} are {@code NAME=1x3x224x224} fixes for dynamic dims).
   */
  static Model load(Path file, Path params, java.util.List<String> shapes) {
    String name = file.getFileName().toString();
    if (name.endsWith(".onnx")) {
      Map<String, int[]> fixed = new LinkedHashMap<>();
      for (String s : shapes) {
        Map.Entry<String, int[]> e = OnnxImporter.parseShape(s);
        fixed.put(e.getKey(), e.getValue());
      }
      OnnxModel m = OnnxImporter.load(file, OnnxImporter.Options.DEFAULT.withShapes(fixed));
      Map<String, NDArray> weights = new LinkedHashMap<>(m.params());
      if (params != null) {
        weights.putAll(ParamsFormat.read(params));
      }
      return new Model(m.module(), weights);
    }
    if (!name.endsWith(".relay")) {
      throw new KbyocException(file + ": unknown model format (expected .relay, .onnx or a package)");
    }
    Map<String, NDArray> all = params == null ? Map.of() : ParamsFormat.read(params);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KbyocException(file + ": cannot read (" + e.getClass().getSimpleName() + ")");
    }
    IRModule m = RelayParser.parse(file.toString(), text, MetaConstants.fromParams(all, String.valueOf(params)), InferType::run);
    Map<String, NDArray> weights = new LinkedHashMap<>();
    all.forEach((k, v) -> {
      if (!MetaConstants.isMetaKey(k)) {
        weights.put(k, v);
      }
    });
    return new Model(m, weights);
  }
}
