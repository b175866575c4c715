package dev.kbyoc.kendryte;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared public test data ({@code shared/testdata}, see its README for provenance):
 * the directory named by {@code -Dkbyoc.testdata=DIR}, else {@code shared/testdata} in the working
 * directory or any directory above it. The files are not in this repository; CI and the project's
 * machines have them. When a file is missing the calling test is skipped (a JUnit assumption)
 * with a message saying where it was looked for, instead of failing.
 */
public final class TestData {
  /** System property naming the test data directory (default: search upward for shared/testdata). */
  public static final String PROPERTY = "kbyoc.testdata";

  private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

  private TestData() {}

  /** The path of {@code shared/testdata/<rel>}; skips the calling test when it is absent. */
  public static Path path(String rel) {
    Path p = find(rel);
    Assumptions.assumeTrue(p != null, () -> "test data " + rel + " not found " + where()
        + " (public files described in shared/testdata/README.md, present in CI); skipped");
    return p;
  }

  /** The bytes of {@code shared/testdata/<rel>} (a fresh copy); skips the calling test when it is absent. */
  public static byte[] bytes(String rel) {
    Path p = path(rel);
    return CACHE.computeIfAbsent(rel, k -> {
      try {
        return Files.readAllBytes(p);
      } catch (IOException e) {
        throw new AssertionError(p + ": cannot read: " + e.getMessage(), e);
      }
    }).clone();
  }

  /** The file, or null when it is not there. */
  static Path find(String rel) {
    String dir = System.getProperty(PROPERTY);
    if (dir != null) {
      Path p = Path.of(dir).resolve(rel);
      return Files.exists(p) ? p : null;
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("shared").resolve("testdata").resolve(rel);
      if (Files.exists(p)) {
        return p;
      }
    }
    return null;
  }

  private static String where() {
    String dir = System.getProperty(PROPERTY);
    return dir != null ? "in -D" + PROPERTY + "=" + dir : "in shared/testdata of " + Path.of("").toAbsolutePath() + " or any directory above it";
  }
}
