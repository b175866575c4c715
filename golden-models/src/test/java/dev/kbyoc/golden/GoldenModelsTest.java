package dev.kbyoc.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.NDArray;
import dev.kbyoc.onnx.OnnxImporter;
import dev.kbyoc.onnx.OnnxModel;
import dev.kbyoc.runtime.Interpreter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The golden models against their committed goldens: the committed {@code model.onnx} is what
 * {@link ModelZoo} builds (bit for bit), ONNX Runtime still produces the committed outputs, and
 * kbyoc's importer plus reference interpreter match them within the float policy
 * ({@code |a - g| <= 1e-5 + 1e-4 |g|}). {@code -Dkbyoc.updateGolden=true} rewrites the files
 * from the zoo and ONNX Runtime:
 * {@code mvn -pl golden-models -am test -Dtest=GoldenModelsTest -Dkbyoc.updateGolden=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class GoldenModelsTest {
  static final Path DIR = Paths.get("src/test/resources/dev/kbyoc/golden");
  static final double RTOL = 1e-4;
  static final double ATOL = 1e-5;

  @TestFactory
  Stream<DynamicTest> goldenModels() {
    return ModelZoo.all().stream().flatMap(m -> Stream.of(
        DynamicTest.dynamicTest(m.name() + ": committed files match the zoo and ONNX Runtime", () -> committed(m)),
        DynamicTest.dynamicTest(m.name() + ": importer + interpreter match the goldens", () -> interpreter(m))));
  }

  static Path dir(GoldenModel m) {
    return DIR.resolve(m.name());
  }

  static List<NDArray> goldens(GoldenModel m) throws Exception {
    List<NDArray> out = new ArrayList<>();
    for (int i = 0; Files.exists(dir(m).resolve("output_" + i + ".npy")); i++) {
      out.add(NpyFiles.read(dir(m).resolve("output_" + i + ".npy")));
    }
    assertTrue(!out.isEmpty(), "no goldens for " + m.name());
    return out;
  }

  private static void committed(GoldenModel m) throws Exception {
    if (Boolean.getBoolean("kbyoc.updateGolden")) {
      Files.createDirectories(dir(m));
      Files.write(dir(m).resolve("model.onnx"), m.model().toByteArray());
      NpyFiles.write(dir(m).resolve("input.npy"), NDArray.of(m.inputData(), m.inputShape()));
      List<NDArray> outs = OrtOracle.run(m);
      for (int i = 0; i < outs.size(); i++) {
        NpyFiles.write(dir(m).resolve("output_" + i + ".npy"), outs.get(i));
      }
    }
    assertArrayEquals(m.model().toByteArray(), Files.readAllBytes(dir(m).resolve("model.onnx")),
        m.name() + ": model.onnx differs from what ModelZoo builds; regenerate with -Dkbyoc.updateGolden=true");
    assertEquals(NDArray.of(m.inputData(), m.inputShape()), NpyFiles.read(dir(m).resolve("input.npy")));
    List<NDArray> ort = OrtOracle.run(m);
    List<NDArray> gold = goldens(m);
    assertEquals(gold.size(), ort.size());
    for (int i = 0; i < ort.size(); i++) {
      assertClose(m.name() + " ONNX Runtime output " + i, ort.get(i), gold.get(i));
    }
  }

  private static void interpreter(GoldenModel m) throws Exception {
    OnnxModel model = OnnxImporter.load(dir(m).resolve("model.onnx"));
    Map<String, NDArray> feed = new HashMap<>(model.params());
    feed.put(m.input(), NpyFiles.read(dir(m).resolve("input.npy")));
    List<NDArray> out = new Interpreter(model.module()).runFlat(feed);
    List<NDArray> gold = goldens(m);
    assertEquals(gold.size(), out.size(), m.name() + " output count");
    for (int i = 0; i < out.size(); i++) {
      assertClose(m.name() + " interpreter output " + i, out.get(i), gold.get(i));
    }
  }

  static void assertClose(String what, NDArray actual, NDArray golden) {
    assertArrayEquals(golden.shape(), actual.shape(), what + " shape");
    double worst = 0;
    int at = -1;
    for (int i = 0; i < golden.size(); i++) {
      double a = actual.getDouble(i);
      double g = golden.getDouble(i);
      double excess = Math.abs(a - g) - (ATOL + RTOL * Math.abs(g));
      if (excess > worst || Double.isNaN(a)) {
        worst = Double.isNaN(a) ? Double.POSITIVE_INFINITY : excess;
        at = i;
      }
    }
    if (at >= 0) {
      throw new AssertionError(what + ": element " + at + " is " + actual.getDouble(at) + ", golden "
          + golden.getDouble(at) + " (rtol " + RTOL + ", atol " + ATOL + ")");
    }
  }
}
