package dev.kbyoc.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbyoc.testing.Attach;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generates a report with the real Allure commandline from hand-written results of a fake project. */
class ReportMainTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static Path report;
  static Map<String, String> files;

  static Path allureHome() {
    String home = System.getProperty("kbyoc.allure.home");
    assumeTrue(home != null, "kbyoc.allure.home is set by the reports pom (run through Maven)");
    return Path.of(home);
  }

  @BeforeAll
  static void generate() throws Exception {
    Path root = FakeProject.create(tmp.resolve("project"));
    report = ReportMain.generate(root, allureHome(), tmp.resolve("out"));
    files = SingleFileReport.files(report);
  }

  /** Leaves of the suites tree: test name to {status, uid, parentUid}. */
  static Map<String, String[]> leaves(JsonNode node, String parentUid, Map<String, String[]> out) {
    if (!node.has("children")) {
      out.put(node.get("name").asText(), new String[] {node.get("status").asText(), node.get("uid").asText(), parentUid});
      return out;
    }
    for (JsonNode c : node.get("children")) {
      leaves(c, node.path("uid").asText(), out);
    }
    return out;
  }

  @Test
  void reportHoldsEveryModulesTestsWithStatus() throws Exception {
    assertEquals(Path.of(ReportMain.REPORT), report.getFileName());
    JsonNode suites = JSON.readTree(files.get("data/suites.json"));
    List<String> modules = new ArrayList<>();
    suites.get("children").forEach(c -> modules.add(c.get("name").asText()));
    assertEquals(List.of("alpha", "beta"), modules.stream().sorted().toList());
    Map<String, String[]> tests = leaves(suites, "", new TreeMap<>());
    assertEquals(List.of("alphaPasses()", "betaFails()"), List.copyOf(tests.keySet()));
    assertEquals("passed", tests.get("alphaPasses()")[0]);
    assertEquals("failed", tests.get("betaFails()")[0]);
  }

  @Test
  void failedTestKeepsShrunkGraphBundleAndCategory() throws Exception {
    String uid = leaves(JSON.readTree(files.get("data/suites.json")), "", new TreeMap<>()).get("betaFails()")[1];
    JsonNode tc = JSON.readTree(files.get("data/test-cases/" + uid + ".json"));
    assertEquals(FakeProject.FAIL_MESSAGE, tc.get("statusMessage").asText());
    Map<String, String> attached = new TreeMap<>();
    for (JsonNode a : tc.get("testStage").get("attachments")) {
      attached.put(a.get("name").asText(), files.get("data/attachments/" + a.get("source").asText()));
    }
    assertEquals(Map.of("bundle path", FakeProject.BUNDLE, "shrunk graph", FakeProject.SHRUNK), attached);
    JsonNode categories = JSON.readTree(files.get("data/categories.json"));
    Optional<JsonNode> dup = find(categories.get("children"), "Duplicate constants");
    assertTrue(dup.isPresent(), () -> "no duplicate-constants category in " + categories);
    assertEquals("betaFails()", dup.get().get("children").get(0).get("children").get(0).get("name").asText());
  }

  @Test
  void environmentExecutorAndModelPageAreWritten() throws Exception {
    assertTrue(files.get("widgets/environment.json").contains("\"commit\""));
    assertTrue(files.get("widgets/executors.json").contains(ReportMain.MODELS));
    String models = Files.readString(report.resolveSibling(ReportMain.MODELS));
    Attach.html("model summary page", models);
    assertTrue(models.contains("id=\"model-tiny_cnn\""));
    assertTrue(models.contains("2.10 (duplicated constants?)")); // 2100 / 1000
  }

  @Test
  void noResultsIsAnErrorThatSaysWhatToRun(@TempDir Path empty) {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ReportMain.generate(empty, allureHome(), empty.resolve("out")));
    assertTrue(e.getMessage().contains("no Allure results under"), e.getMessage());
    assertTrue(e.getMessage().endsWith("run the tests (mvn verify) first"), e.getMessage());
  }

  @Test
  void failedTestPageShowsShrunkGraphAndBundleInChromium() throws Exception {
    Optional<Chromium> chromium = Chromium.find();
    assumeTrue(chromium.isPresent(), "chromium is not installed (.ci/run installs it)");
    String[] leaf = leaves(JSON.readTree(files.get("data/suites.json")), "", new TreeMap<>()).get("betaFails()");
    String url = report.toUri() + "#suites/" + leaf[2] + "/" + leaf[1] + "/";
    Chromium.Run run = chromium.get().dumpDom(url);
    String visible = Chromium.visibleMarkup(run.stdout());
    assertEquals(List.of(), run.consoleErrors());
    for (String expected : List.of("betaFails()", FakeProject.FAIL_MESSAGE, "shrunk graph", "bundle path",
        FakeProject.BUNDLE, "Failed")) {
      assertTrue(visible.contains(expected), () -> "rendered page lacks [" + expected + "]");
    }
  }

  private static Optional<JsonNode> find(JsonNode children, String name) {
    for (JsonNode c : children) {
      if (c.get("name").asText().equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
