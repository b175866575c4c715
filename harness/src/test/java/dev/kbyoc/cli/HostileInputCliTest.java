package dev.kbyoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hostile and crash entry of the fuzz corpus, handed to the CLI as the file it imitates,
 * exits 2 with exactly one line on stderr and leaves nothing new in the working folder.
 */
class HostileInputCliTest {
  static final Path CORPUS = Path.of("src/test/resources/dev/kbyoc/fuzz/LoaderFuzzTestInputs");

  @TempDir Path dir;

  static int run(StringBuilder err, String... args) {
    CliRun r = CliRun.of(args);
    err.append(r.err());
    return r.code();
  }

  static List<Path> hostile(String target) throws IOException {
    try (Stream<Path> s = Files.list(CORPUS.resolve(target))) {
      return s.filter(p -> p.getFileName().toString().matches("(hostile|crash)-.*")).sorted().toList();
    }
  }

  /** Copies each hostile entry to {@code dir/<name><ext>} and runs the command {@code args(file)}. */
  void check(String target, String ext, Function<Path, String[]> args) throws IOException {
    List<Path> entries = hostile(target);
    assertTrue(entries.size() >= 8, target);
    int rejected = 0;
    for (Path p : entries) {
      Path f = dir.resolve(p.getFileName() + ext);
      Files.copy(p, f);
      List<Path> before;
      try (Stream<Path> s = Files.list(dir)) {
        before = s.sorted().toList();
      }
      StringBuilder err = new StringBuilder();
      int code = run(err, args.apply(f));
      String e = err.toString();
      if (code == 0) {
        continue; // a few entries are odd but legal (e.g. an unused layer field at its maximum)
      }
      assertEquals(2, code, p + ": " + e);
      assertTrue(e.startsWith("kbyoc: error: ") && e.indexOf('\n') == e.length() - 1, p + ": [" + e + "]");
      rejected++;
      try (Stream<Path> s = Files.list(dir)) {
        assertEquals(before, s.sorted().toList(), p + " left files behind");
      }
    }
    assertTrue(rejected >= entries.size() - 3, target + ": only " + rejected + " of " + entries.size() + " rejected");
  }

  @Test
  void hostileFilesExitTwoWithOneLine() throws IOException {
    Path relay = dir.resolve("m.relay");
    Files.copy(CORPUS.resolve("relay/seed-basic"), relay);
    check("onnx", ".onnx", f -> new String[] {"run", f.toString()});
    check("relay", ".relay", f -> new String[] {"run", f.toString()});
    check("params", ".params", f -> new String[] {"run", relay.toString(), "--params", f.toString()});
    check("npy", ".npy", f -> new String[] {"run", relay.toString(), "--input", "x=" + f, "--input", "bias=" + f});
    check("packageArchive", ".kbpkg", f -> new String[] {"inspect", f.toString()});
    check("kmodel", ".kmodel", f -> new String[] {"kmodel", "inspect", f.toString()});
  }
}
