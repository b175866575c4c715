package dev.kbyoc.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.testing.CliRun;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's flow on every golden model, through the command line:
 * {@code kbyoc build model.onnx --shape input=... --target kendryte -o m.kpkg}, then
 * {@code kbyoc run m.kpkg --input input=input.npy --out DIR}; the outputs match the ONNX Runtime
 * goldens under the float policy and {@code kbyoc inspect --json} finds no duplicated constants.
 * The host-only build ({@code --target none}) matches too, and the seed's bug comes back with
 * {@code --constant-updater default}: the Kendryte weights are then stored twice (for the models
 * whose kendryte regions hold constants; a model the Kendryte rules leave on the host has none).
 * ({@code oversize} builds too: its layers whose maps exceed the 2 MiB KPU RAM stay on the host.)
 */
class GoldenCliTest {
  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> buildAndRunPackages() {
    return ModelZoo.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> check(m)));
  }

  private String[] captured = new String[2];

  private int kbyoc(String... args) {
    CliRun r = CliRun.of(args);
    captured = new String[] {r.out(), r.err()};
    return r.code();
  }

  private void check(GoldenModel m) throws Exception {
    JsonNode report = buildAndRun(m, "kendryte", "registered");
    assertTrue(report.get("duplicates").isEmpty(), m.name() + ": duplicated constants " + report.get("duplicates"));
    assertEquals(0, report.get("wasted_bytes").asLong(), m.name() + " wasted bytes");
    buildAndRun(m, "none", "registered");
    JsonNode seedBug = buildAndRun(m, "kendryte", "default");
    if (strayParams(seedBug) > 0) {
      assertTrue(seedBug.get("wasted_bytes").asLong() > 0, m.name() + ": the default constant updater should duplicate"
          + " the kmodel weights into the params: " + seedBug);
    }
  }

  /** Params the graph does not read: the constants the default updater took from kendryte regions. */
  private static int strayParams(JsonNode report) {
    int n = 0;
    for (JsonNode p : report.get("params")) {
      n += p.get("referenced_by_graph").asBoolean() ? 0 : 1;
    }
    return n;
  }

  /** Builds, runs against the goldens, and returns {@code kbyoc inspect --json} of the package. */
  private JsonNode buildAndRun(GoldenModel m, String target, String updater) throws Exception {
    Path dir = GoldenModelsTest.dir(m);
    String shape = IntStream.of(m.inputShape()).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    String tag = m.name() + "_" + target + "_" + updater;
    Path pkg = tmp.resolve(tag + ".kpkg");
    int code = kbyoc("build", dir.resolve("model.onnx").toString(), "--shape", m.input() + "=" + shape,
        "--target", target, "--constant-updater", updater, "-o", pkg.toString());
    assertEquals(0, code, tag + " build: " + captured[0] + captured[1]);
    Path out = tmp.resolve(tag + "_out");
    code = kbyoc("run", pkg.toString(), "--input", m.input() + "=" + dir.resolve("input.npy"), "--out", out.toString());
    assertEquals(0, code, tag + " run: " + captured[0] + captured[1]);
    List<NDArray> gold = GoldenModelsTest.goldens(m);
    for (int i = 0; i < gold.size(); i++) {
      GoldenModelsTest.assertClose(tag + " package output " + i, NpyFiles.read(out.resolve("output_" + i + ".npy")),
          gold.get(i));
    }
    // inspect's exit code is the no-duplicate-constants oracle: 0 clean, 1 duplicated or stray
    // params; the default updater leaves strays only when kendryte regions hold constants
    int inspect = kbyoc("inspect", pkg.toString(), "--json");
    JsonNode report = new ObjectMapper().readTree(captured[0]);
    boolean dirty = updater.equals("default") && strayParams(report) > 0;
    assertEquals(dirty ? 1 : 0, inspect, tag + " inspect: " + captured[1]);
    assertTrue(!dirty || hasKendryteModule(report), tag + ": stray params without a kendryte module: " + report);
    return report;
  }

  private static boolean hasKendryteModule(JsonNode report) {
    for (JsonNode e : report.get("entries")) {
      if (e.has("type") && e.get("type").asText().equals("kendryte")) {
        return true;
      }
    }
    return false;
  }
}
