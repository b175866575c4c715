package dev.kbyoc.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportExtrasTest {
  /** Categories whose messageRegex matches the whole message (Allure uses {@code matches}). */
  static List<String> categoriesOf(String message) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode c : new ObjectMapper().readTree(ReportExtras.CATEGORIES)) {
      if (c.has("messageRegex") && Pattern.compile(c.get("messageRegex").asText()).matcher(message).matches()) {
        out.add(c.get("name").asText());
      }
    }
    return out;
  }

  @Test
  void failuresLandInTheCategoryOfTheirOracle() throws Exception {
    assertEquals(List.of("Semantic equivalence (partitioned vs original)"), categoriesOf(
        "property semantic-equivalence failed at try 0\n  semantic-equivalence/value-mismatch: output 2 differs"
            + " (original 0.07, partitioned 0.25)"));
    assertEquals(List.of("Partition soundness"), categoriesOf("property partition-soundness failed: %3 not offloaded"));
    assertEquals(List.of("Duplicate constants"), categoriesOf("kendryte_0_const_0 appears in params and in kendryte_0"));
    assertEquals(List.of("Numeric equivalence (simulator vs host)"),
        categoriesOf("quantized-rounding: layer 3 is 2 LSB off"));
    assertEquals(List.of(), categoriesOf("expected: <1> but was: <2>"));
  }

  @Test
  void writesTheThreeFilesAlluresReads(@TempDir Path dir) throws Exception {
    ReportExtras.write(dir, dir, "models.html");
    String env = Files.readString(dir.resolve("environment.properties"));
    assertTrue(env.startsWith("commit = "), env);
    assertTrue(env.contains("\njava = " + System.getProperty("java.version")), env);
    JsonNode exec = new ObjectMapper().readTree(dir.resolve("executor.json").toFile());
    assertEquals("models.html", exec.get("buildUrl").asText());
    assertEquals(6, new ObjectMapper().readTree(dir.resolve("categories.json").toFile()).size());
  }
}
