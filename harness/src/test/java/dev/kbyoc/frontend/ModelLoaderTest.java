package dev.kbyoc.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.StructuralEqual;
import dev.kbyoc.runtime.ParamsFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelLoader}: Relay text with its sidecar and a params file, the user errors, save and load back. */
class ModelLoaderTest {
  private static final String TEXT = """
      #[version = "0.0.5"]
      def @main(%x: Tensor[(4), float32], %w: Tensor[(4), float32]) {
        add(add(%x, %w), meta[relay.Constant][0] /* ty=Tensor[(4), float32] */)
      }
      """;
  private static final NDArray META = NDArray.of(new float[] {1, 2, 3, 4}, 4);
  private static final NDArray W = NDArray.of(new float[] {-1, 0, 1, 2}, 4);

  @TempDir Path dir;

  private Path model() throws IOException {
    Path m = dir.resolve("m.relay");
    Files.writeString(m, TEXT);
    ParamsFormat.write(dir.resolve("m.params"), Map.of("meta[relay.Constant][0]", META));
    return m;
  }

  @Test
  void sidecarGivesMetaConstantsAndTheParamsFileNamedWeights() throws IOException {
    Path p = dir.resolve("w.params");
    ParamsFormat.write(p, Map.of("w", W));
    ModelLoader.Model m = ModelLoader.load(model(), p);
    assertEquals(Map.of("w", W), m.params());
    assertEquals(List.of("x", "w"), m.module().main().params().stream().map(v -> v.name()).toList());
    assertEquals(dir.resolve("m.params"), ModelLoader.sidecarOf(dir.resolve("m.relay")));
  }

  @Test
  void userErrorsNameTheFile() throws IOException {
    Path m = model();
    Path p = dir.resolve("w.params");
    ParamsFormat.write(p, Map.of("meta[relay.Constant][0]", W));
    KbyocException differs = assertThrows(KbyocException.class, () -> ModelLoader.load(m, p));
    assertEquals(p + ": param [meta[relay.Constant][0]] differs from the one in " + dir.resolve("m.params"), differs.getMessage());
    KbyocException shape = assertThrows(KbyocException.class, () -> ModelLoader.load(m, null, Map.of("x", new int[] {4})));
    assertEquals(m + ": --shape applies to .onnx models only (a .relay model declares its types)", shape.getMessage());
    Path txt = dir.resolve("m.txt");
    Files.writeString(txt, TEXT);
    KbyocException type = assertThrows(KbyocException.class, () -> ModelLoader.load(txt, null));
    assertTrue(type.getMessage().startsWith(txt + ": unsupported model file type"), type.getMessage());
    KbyocException missing = assertThrows(KbyocException.class, () -> ModelLoader.load(dir.resolve("no.relay"), null));
    assertEquals(dir.resolve("no.relay") + ": model file does not exist", missing.getMessage());
  }

  @Test
  void savedModelLoadsBackWithItsParams() throws IOException {
    ModelLoader.Model m = ModelLoader.load(model(), null);
    Path out = dir.resolve("out").resolve("copy.relay");
    Files.createDirectories(out.getParent());
    Path side = ModelLoader.save(m.module(), Map.of("w", W), out);
    assertEquals(out.resolveSibling("copy.params"), side);
    ModelLoader.Model back = ModelLoader.load(out, null);
    assertEquals(Map.of("w", W), back.params());
    assertTrue(StructuralEqual.equal(m.module(), back.module()), () -> StructuralEqual.firstDifference(m.module(), back.module()));
  }
}
