package dev.kbyoc.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes the files Allure reads besides test results: {@code environment.properties} (shown on the
 * overview), {@code categories.json} (groups failures by kbyoc's oracles) and {@code executor.json}
 * (its build link points at the model summary page next to the report).
 */
final class ReportExtras {
  /** Failure categories, first match wins; regexes run over the failure message. */
  static final String CATEGORIES = """
      [
        {"name": "Duplicate constants", "matchedStatuses": ["failed", "broken"],
         "messageRegex": "(?s).*(duplicat|constant_updater|_const_\\\\d|unreferenced param).*"},
        {"name": "Partition soundness", "matchedStatuses": ["failed", "broken"],
         "messageRegex": "(?s).*partition-soundness.*"},
        {"name": "Semantic equivalence (partitioned vs original)", "matchedStatuses": ["failed", "broken"],
         "messageRegex": "(?s).*semantic-equivalence.*"},
        {"name": "Numeric equivalence (simulator vs host)", "matchedStatuses": ["failed", "broken"],
         "messageRegex": "(?s).*(quantized-rounding|cosine|LSB|tolerance).*"},
        {"name": "Round trips (text, kmodel, package)", "matchedStatuses": ["failed", "broken"],
         "messageRegex": "(?s).*(round-trip|round trip).*"},
        {"name": "Crashes and bugs", "matchedStatuses": ["broken"]}
      ]
      """;


  private ReportExtras() {}

  /** Writes the three files into {@code dir} (created if needed) and returns {@code dir}. */
  static Path write(Path dir, Path root, String summaryPage) {
    try {
      Files.createDirectories(dir);
      StringBuilder env = new StringBuilder();
      environment(root).forEach((k, v) -> env.append(k).append(" = ").append(v).append('\n'));
      Files.writeString(dir.resolve("environment.properties"), env.toString(), StandardCharsets.ISO_8859_1);
      Files.writeString(dir.resolve("categories.json"), CATEGORIES, StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("executor.json"), "{\"name\": \"mvn verify\", \"type\": \"maven\","
          + " \"buildName\": \"kbyoc model summary\", \"buildUrl\": \"" + summaryPage + "\","
          + " \"reportName\": \"kbyoc\"}\n", StandardCharsets.UTF_8);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write Allure extras to [" + dir + "]", e);
    }
  }

  /** What the overview lists: commit, Java, OS and whether Graphviz rendered the pictures. */
  static Map<String, String> environment(Path root) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("commit", git(root));
    env.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    env.put("graphviz", dev.kbyoc.report.Graphviz.available() ? "dot installed" : "dot not installed");
    return env;
  }

  private static String git(Path root) {
    try {
      Process p = new ProcessBuilder("git", "-C", root.toString(), "rev-parse", "--short", "HEAD")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty() ? out : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
