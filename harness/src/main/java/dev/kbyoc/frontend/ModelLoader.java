package dev.kbyoc.frontend;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.text.MetaConstants;
import dev.kbyoc.ir.text.RelayParser;
import dev.kbyoc.ir.text.RelayPrinter;
import dev.kbyoc.onnx.OnnxImporter;
import dev.kbyoc.onnx.OnnxModel;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.ParamsFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a model with its weights, and saves one. A {@code .onnx} file is imported by
 * {@link OnnxImporter} ({@code shapes} fixes dynamic input dims, as {@code --shape} does); its
 * initializers are the params, and an explicit params file replaces initializers by name.
 *
 * <p><b>Convention.</b> A model {@code m.relay} may have a sidecar {@code m.params} next to it
 * (TVM's params binary, {@link ParamsFormat}). Entries keyed {@code meta[relay.Constant][i]} are
 * the data of the text's {@code meta[relay.Constant][i]} references; any other entry is a param
 * bound to {@code @main}'s parameter of that name when the model runs. An explicit
 * {@code --params P} file is read as well, with the same two kinds of keys; a key present in both
 * files must hold identical data.
 */
public final class ModelLoader {
  private ModelLoader() {}

  /**
   * A loaded, type-checked model.
   *
   * @param file the .relay file
   * @param module the typed module
   * @param params the named (non-meta) params from the sidecar and the params file, in file order
   */
  public record Model(Path file, IRModule module, Map<String, NDArray> params) {}

  /** The sidecar params path of a model: {@code m.relay} to {@code m.params}. */
  public static Path sidecarOf(Path relay) {
    String name = relay.getFileName().toString();
    String base = name.endsWith(".relay") ? name.substring(0, name.length() - ".relay".length()) : name;
    return relay.resolveSibling(base + ".params");
  }

  /** Loads {@code relay} with its sidecar and, when not null, the params file {@code params}. */
  public static Model load(Path relay, Path params) {
    return load(relay, params, Map.of());
  }

  /**
   * Loads a {@code .relay} model (with its sidecar) or a {@code .onnx} model, plus the params file
   * {@code params} when not null; {@code shapes} fixes ONNX input shapes by input name.
   */
  public static Model load(Path relay, Path params, Map<String, int[]> shapes) {
    if (!Files.isRegularFile(relay)) {
      throw new KbyocException(relay + ": model file does not exist");
    }
    if (relay.getFileName().toString().endsWith(".onnx")) {
      return loadOnnx(relay, params, shapes);
    }
    if (!relay.getFileName().toString().endsWith(".relay")) {
      throw new KbyocException(relay + ": unsupported model file type (expected a .relay or .onnx file)");
    }
    if (!shapes.isEmpty()) {
      throw new KbyocException(relay + ": --shape applies to .onnx models only (a .relay model declares its types)");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .decode(java.nio.ByteBuffer.wrap(dev.kbyoc.ir.Limits.readFile(relay, "Relay text"))).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new KbyocException(relay + ": cannot read: " + e.getMessage());
    }
    Map<String, NDArray> all = new LinkedHashMap<>();
    Map<String, Path> origin = new LinkedHashMap<>();
    Path sidecar = sidecarOf(relay);
    if (Files.isRegularFile(sidecar)) {
      merge(all, origin, ParamsFormat.read(sidecar), sidecar);
    }
    if (params != null) {
      if (!Files.isRegularFile(params)) {
        throw new KbyocException(params + ": params file does not exist");
      }
      if (!Files.isRegularFile(sidecar) || !sameFile(params, sidecar)) {
        merge(all, origin, ParamsFormat.read(params), params);
      }
    }
    List<NDArray> meta = MetaConstants.fromParams(all, sidecar.toString());
    Map<String, NDArray> named = new LinkedHashMap<>();
    all.forEach((k, v) -> {
      if (!MetaConstants.isMetaKey(k)) {
        named.put(k, v);
      }
    });
    IRModule module = RelayParser.parse(relay.toString(), text, meta, InferType::run);
    return new Model(relay, module, named);
  }

  private static Model loadOnnx(Path onnx, Path params, Map<String, int[]> shapes) {
    OnnxModel m = OnnxImporter.load(onnx, OnnxImporter.Options.DEFAULT.withShapes(shapes));
    Map<String, NDArray> named = new LinkedHashMap<>(m.params());
    if (params != null) {
      if (!Files.isRegularFile(params)) {
        throw new KbyocException(params + ": params file does not exist");
      }
      named.putAll(ParamsFormat.read(params));
    }
    return new Model(onnx, m.module(), named);
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static void merge(Map<String, NDArray> all, Map<String, Path> origin, Map<String, NDArray> add, Path from) {
    for (Map.Entry<String, NDArray> e : add.entrySet()) {
      NDArray prev = all.putIfAbsent(e.getKey(), e.getValue());
      if (prev != null && !prev.equals(e.getValue())) {
        throw new KbyocException(from + ": param [" + e.getKey() + "] differs from the one in " + origin.get(e.getKey()));
      }
      origin.putIfAbsent(e.getKey(), from);
    }
  }

  /**
   * Writes {@code module} as Relay text to {@code relay} and, when it has meta constants or
   * {@code params} is not empty, the sidecar params file next to it. Returns the sidecar path or
   * null when none was written.
   */
  public static Path save(IRModule module, Map<String, NDArray> params, Path relay) {
    RelayPrinter.Printed printed = RelayPrinter.print(module);
    Map<String, NDArray> sidecar = new LinkedHashMap<>(printed.sidecar());
    sidecar.putAll(params);
    try {
      Files.writeString(relay, printed.text(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KbyocException(relay + ": cannot write: " + e.getMessage());
    }
    if (sidecar.isEmpty()) {
      return null;
    }
    Path side = sidecarOf(relay);
    ParamsFormat.write(side, sidecar);
    return side;
  }
}
