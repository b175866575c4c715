package dev.kbyoc.kendryte;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared public test data ({@code shared/testdata}, see its README for provenance). */
public final class TestData {
  private TestData() {}

  /** The path of {@code shared/testdata/<rel>}, searched upward from the working directory. */
  public static Path path(String rel) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path p = dir.resolve("shared").resolve("testdata").resolve(rel);
      if (Files.exists(p)) {
        return p;
      }
      dir = dir.getParent();
    }
    throw new AssertionError("shared/testdata/" + rel + " not found above " + Path.of("").toAbsolutePath());
  }

  /** The bytes of {@code shared/testdata/<rel>}. */
  public static byte[] bytes(String rel) {
    try {
      return Files.readAllBytes(path(rel));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
