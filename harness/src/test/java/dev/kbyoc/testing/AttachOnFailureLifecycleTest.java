package dev.kbyoc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.junitplatform.AllureJunitPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a deliberately failing fixture through a real JUnit launcher with Allure's listener writing
 * to a temporary folder, and checks the result file Allure wrote: the failing test carries the
 * Relay text and bundle path registered with {@link AttachOnFailure}, the passing one carries none.
 */
class AttachOnFailureLifecycleTest {
  static final String GRAPH = "def @main(%x: Tensor[(4), float32]) {\n  nn.relu(%x)\n}\n";
  private static volatile boolean inLauncher;

  static boolean inLauncher() {
    return inLauncher;
  }

  /** The fixture; it only runs inside {@link #failureAttachmentsReachTheAllureResult}. */
  @EnabledIf("dev.kbyoc.testing.AttachOnFailureLifecycleTest#inLauncher")
  @ExtendWith(AttachOnFailure.class)
  static class Fixture {
    @Test
    void oracleFails() {
      AttachOnFailure.onFailure("shrunk graph.relay", () -> GRAPH);
      AttachOnFailure.onFailure("bundle path", () -> "/tmp/kbyoc/bundle-7");
      throw new AssertionError("semantic equivalence: output 0 differs");
    }

    @Test
    void oraclePasses() {
      AttachOnFailure.onFailure("shrunk graph.relay", () -> GRAPH);
    }
  }

  @Test
  void failureAttachmentsReachTheAllureResult(@TempDir Path dir) throws Exception {
    AllureLifecycle outer = Allure.getLifecycle();
    AllureLifecycle inner = new AllureLifecycle(new FileSystemResultsWriter(dir));
    inLauncher = true;
    Allure.setLifecycle(inner);
    try {
      LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false)
              .addTestExecutionListeners(new AllureJunitPlatform(inner)).build())
          .execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Fixture.class)).build());
    } finally {
      Allure.setLifecycle(outer);
      inLauncher = false;
    }
    Map<String, JsonNode> results = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.filter(p -> p.toString().endsWith("-result.json")).toList()) {
        JsonNode r = new ObjectMapper().readTree(f.toFile());
        results.put(r.get("name").asText(), r);
      }
    }
    assertEquals(List.of("oracleFails()", "oraclePasses()"), List.copyOf(results.keySet()));
    JsonNode failed = results.get("oracleFails()");
    assertEquals("failed", failed.get("status").asText());
    assertEquals("semantic equivalence: output 0 differs", failed.get("statusDetails").get("message").asText());
    Map<String, String> attached = new TreeMap<>();
    for (JsonNode a : failed.get("attachments")) {
      attached.put(a.get("name").asText(), Files.readString(dir.resolve(a.get("source").asText())));
    }
    assertEquals(Map.of("shrunk graph.relay", GRAPH, "bundle path", "/tmp/kbyoc/bundle-7"), attached);
    assertTrue(failed.get("attachments").get(0).get("source").asText().endsWith(".relay"));
    assertEquals(0, results.get("oraclePasses()").get("attachments").size());
  }
}
