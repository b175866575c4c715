package dev.kbyoc.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.fuzz.LoaderTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Mutation test of the params reader's length check: with the check switched off (the mutant
 * "bounds check removed"), replaying the committed fuzz corpus must produce crashes that the
 * fuzz oracle reports; with it on, none. Proves the corpus and the oracle would catch a
 * regression of that check. Entries whose lengths would make the mutant allocate gigabytes are
 * left out so the mutant cannot exhaust the test JVM.
 */
class LengthCheckMutationTest {
  static final Path CORPUS = Path.of("src/test/resources/dev/kbyoc/fuzz/LoaderFuzzTestInputs/params");

  static List<Path> entries() throws IOException {
    try (Stream<Path> s = Files.list(CORPUS)) {
      return s.filter(p -> !p.getFileName().toString().matches(".*(2g|huge|overflow|2pow).*")).sorted().toList();
    }
  }

  /** The corpus entries the oracle flags as crashes under the current checks. */
  static List<String> crashes() throws IOException {
    List<String> out = new ArrayList<>();
    for (Path p : entries()) {
      byte[] b = Files.readAllBytes(p);
      try {
        LoaderTarget.PARAMS.check(b);
      } catch (Throwable t) {
        out.add(p.getFileName() + " -> " + t.getClass().getSimpleName());
      }
    }
    return out;
  }

  @Test
  void corpusCatchesRemovedLengthCheck() throws IOException {
    assertTrue(entries().size() > 20, "params corpus too small");
    assertTrue(crashes().isEmpty(), () -> "crashes with the check in place");
    List<String> mutant;
    ParamsFormat.lengthChecks = false;
    try {
      mutant = crashes();
    } finally {
      ParamsFormat.lengthChecks = true;
    }
    assertFalse(mutant.isEmpty(), "the corpus does not notice the removed length check");
    assertTrue(mutant.stream().anyMatch(s -> s.startsWith("hostile-name-length-negative -> NegativeArraySize")), mutant::toString);
    assertDoesNotThrow(() -> LoaderTarget.PARAMS.check(Files.readAllBytes(CORPUS.resolve("hostile-name-length-negative"))));
  }
}
