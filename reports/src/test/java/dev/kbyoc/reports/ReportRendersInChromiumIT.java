package dev.kbyoc.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbyoc.testing.Attach;
import io.qameta.allure.Allure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The "done when" check of the report: the single-file report that {@code mvn verify} just wrote
 * opens in headless Chromium (network off) without console errors, renders a non-blank overview,
 * and lists every test of every module with the status its Allure result file records, and a test
 * page shows its attachments. Expectations come from the modules' result files, read here
 * independently of the report.
 */
class ReportRendersInChromiumIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LEAF = Pattern.compile(
      "<a class=\"node node__leaf\" href=\"([^\"]+)\">.*?data-tooltip=\"(\\w+)\".*?"
          + "<div class=\"node__name\">\\s*(.*?)\\s*</div>", Pattern.DOTALL);

  static Path report;
  static Chromium chromium;
  /** The suites page, loaded once (each Chromium load of the 3 MB report takes seconds). */
  static Chromium.Run suites;

  /** One test as its result file records it. */
  record Expected(String name, String status, List<String> attachments) {}

  @BeforeAll
  static void setUp() {
    report = Path.of(System.getProperty("kbyoc.report", "target/" + ReportMain.REPORT));
    assertTrue(Files.isRegularFile(report), () -> report + " was not generated");
    Optional<Chromium> c = Chromium.find();
    assumeTrue(c.isPresent(), "chromium is not installed (.ci/run installs it); report not opened");
    chromium = c.get();
    try {
      suites = chromium.dumpDom(report.toUri() + "#suites");
    } catch (Exception e) {
      throw new IllegalStateException("chromium could not load " + report, e);
    }
  }

  /** Latest result per historyId (Allure shows older ones as retries), from every module. */
  static Map<String, Expected> expected() throws IOException {
    Path root = Path.of(System.getProperty("kbyoc.root", ".."));
    Map<String, Long> stops = new TreeMap<>();
    Map<String, Expected> out = new TreeMap<>();
    for (Path dir : ResultDirs.allureResults(root)) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path f : s.filter(p -> p.getFileName().toString().endsWith("-result.json")).toList()) {
          JsonNode r = JSON.readTree(f.toFile());
          String id = r.path("historyId").asText(r.get("uuid").asText());
          long stop = r.path("stop").asLong();
          if (stops.containsKey(id) && stops.get(id) >= stop) {
            continue;
          }
          stops.put(id, stop);
          List<String> att = new ArrayList<>();
          collectAttachments(r, att);
          out.put(id, new Expected(r.get("name").asText(), r.get("status").asText(), att));
        }
      }
    }
    return out;
  }

  private static void collectAttachments(JsonNode node, List<String> out) {
    node.path("attachments").forEach(a -> out.add(a.get("name").asText()));
    node.path("steps").forEach(s -> collectAttachments(s, out));
  }

  @Test
  void suitesPageListsEveryTestWithItsStatus() throws Exception {
    Map<String, Expected> expected = expected();
    assertTrue(expected.size() >= 10, () -> "only " + expected.size() + " test results found");
    Chromium.Run run = suites;
    assertEquals(List.of(), run.consoleErrors());
    List<String> shown = new ArrayList<>();
    Matcher m = LEAF.matcher(Chromium.visibleMarkup(run.stdout()));
    while (m.find()) {
      shown.add(Chromium.text(m.group(3)) + " : " + m.group(2).toLowerCase());
    }
    List<String> want = new ArrayList<>();
    expected.values().forEach(e -> want.add(Chromium.normalize(e.name()) + " : " + e.status()));
    shown.sort(null);
    want.sort(null);
    Attach.text("tests shown in the report", String.join("\n", shown));
    assertEquals(want, shown);
  }

  @Test
  void testPagesShowTheirAttachments() throws Exception {
    Map<String, Expected> byName = new LinkedHashMap<>();
    Map<String, Integer> seen = new TreeMap<>();
    for (Expected e : expected().values()) {
      seen.merge(e.name(), 1, Integer::sum);
      if (!e.attachments().isEmpty()) {
        byName.put(e.name(), e);
      }
    }
    byName.keySet().removeIf(n -> seen.get(n) > 1);
    assertTrue(!byName.isEmpty(), "no test with attachments and a unique name");
    Map<String, String> hrefs = new TreeMap<>();
    Matcher m = LEAF.matcher(Chromium.visibleMarkup(suites.stdout()));
    while (m.find()) {
      hrefs.put(Chromium.text(m.group(3)), m.group(1));
    }
    int checked = 0;
    for (Expected e : byName.values()) {
      if (checked++ == 2) {
        break;
      }
      String href = hrefs.get(Chromium.normalize(e.name()));
      Chromium.Run page = chromium.dumpDom(report.toUri() + href);
      assertEquals(List.of(), page.consoleErrors());
      String visible = Chromium.visibleMarkup(page.stdout());
      String text = Chromium.text(visible);
      for (String a : e.attachments()) {
        assertTrue(visible.contains("attachment-row__name") && text.contains(Chromium.normalize(a)),
            () -> "page of " + e.name() + " lacks attachment [" + a + "]");
      }
    }
  }

  @Test
  void overviewScreenshotIsNotBlank() throws Exception {
    Path png = report.resolveSibling("kbyoc-report.png");
    Chromium.Run run = chromium.screenshot(report.toUri().toString(), png, 1400, 900);
    assertEquals(List.of(), run.consoleErrors());
    Allure.addAttachment("overview screenshot", "image/png", Files.newInputStream(png), ".png");
    double[] ink = Chromium.inkAndColours(png);
    // the overview has a dark side bar, charts and text: far from one flat colour
    assertTrue(ink[0] > 0.10, () -> "only " + ink[0] + " of the screenshot differs from the background");
    assertTrue(ink[1] > 50, () -> "only " + ink[1] + " colours in the screenshot");
  }
}
