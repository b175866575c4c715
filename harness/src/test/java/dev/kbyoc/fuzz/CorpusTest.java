package dev.kbyoc.fuzz;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed corpus itself: every target has valid seeds that load without any error. */
class CorpusTest {
  static final Path ROOT = Path.of("src/test/resources/dev/kbyoc/fuzz/LoaderFuzzTestInputs");

  /** The corpus files of a target whose names start with {@code prefix}. */
  static List<Path> files(LoaderTarget t, String prefix) {
    try (Stream<Path> s = Files.list(ROOT.resolve(t.dir()))) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void everySeedLoadsCleanly() {
    for (LoaderTarget t : LoaderTarget.values()) {
      List<Path> seeds = files(t, "seed-");
      assertFalse(seeds.isEmpty(), t + " has no seeds");
      for (Path p : seeds) {
        assertDoesNotThrow(() -> t.load(read(p)), t + " rejects its seed " + p.getFileName());
      }
    }
  }

  @Test
  void everyTargetHasHostileEntries() {
    for (LoaderTarget t : LoaderTarget.values()) {
      assertTrue(files(t, "").size() > files(t, "seed-").size(), t + " has no hostile corpus entries");
    }
  }
}
