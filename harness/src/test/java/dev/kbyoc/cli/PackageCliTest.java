package dev.kbyoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.build.SampleModels;
import dev.kbyoc.runtime.PackageWriter;
import dev.kbyoc.runtime.ParamsFormat;
import dev.kbyoc.testing.TestCodegens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kbyoc inspect} and {@code kbyoc demo} through the command line, exit codes included; the
 * inspected packages use the embedding test codegen ({@link TestCodegens}).
 */
class PackageCliTest {
  record Run(int code, String out, String err) {}

  static Run kbyoc(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  static Path export(Path dir, String name, boolean force) {
    BuildResult r = RelayBuild.build(SampleModels.twoRegions(TestCodegens.EMBEDDING, 32, 2, 8), Map.of(),
        BuildOptions.DEFAULT.withForceDefaultUpdater(force));
    Path p = dir.resolve(name);
    PackageWriter.write(p, r.graphJson(), ParamsFormat.encode(r.params()), r.modules());
    return p;
  }

  @Test
  void inspectCleanPackage(@TempDir Path dir) {
    Run r = kbyoc("inspect", export(dir, "ok.kbyoc", false).toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("referenced by graph: yes"), r.out());
    assertTrue(!r.out().contains("referenced by graph: no"), r.out());
    assertTrue(r.out().contains("duplicated constants (by content hash): 0, wasted bytes: 0"), r.out());
    assertTrue(r.out().contains("module kbyoc_host [fused_add_nn_relu, fused_add]"), r.out());
    assertTrue(r.out().contains("module hostembed [hostembed_0]"), r.out());
  }

  @Test
  void inspectSeedBugPackageNamesEveryStrayConstant(@TempDir Path dir) {
    Run r = kbyoc("inspect", export(dir, "bug.kbyoc", true).toString());
    assertEquals(1, r.code());
    // hostembed_0 has 2 blocks x 2 constants, hostembed_1 one: 5 constants of 32 floats.
    assertEquals(5, r.out().split("referenced by graph: no", -1).length - 1, r.out());
    assertTrue(r.out().contains("duplicated constants (by content hash): 5, wasted bytes: 640"), r.out());
    Run j = kbyoc("inspect", "--json", dir.resolve("bug.kbyoc").toString());
    assertTrue(j.out().contains("\"wasted_bytes\" : 640"), j.out());
    assertTrue(j.out().contains("\"referenced_by_graph\" : false"), j.out());
  }

  @Test
  void corruptedPackagesExitTwoWithOneLine(@TempDir Path dir) throws IOException {
    Path sub = Files.createDirectory(dir.resolve("pkgs"));
    Path good = export(sub, "good.kbyoc", false);
    byte[] a = Files.readAllBytes(good);
    List<byte[]> bad = List.of(Arrays.copyOf(a, a.length / 2), flip(a, a.length / 3), flip(a, 0));
    int i = 0;
    for (byte[] b : bad) {
      Path p = sub.resolve("bad" + i++ + ".kbyoc");
      Files.write(p, b);
      for (String cmd : List.of("inspect", "run")) {
        Run r = kbyoc(cmd, p.toString(), "--" + (cmd.equals("run") ? "out=" + sub.resolve("out") : "json"));
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertTrue(r.err().startsWith("kbyoc: error: " + p), r.err());
      }
    }
    try (var top = Files.list(dir); var inside = Files.list(sub)) {
      assertEquals(List.of(sub), top.toList(), "nothing written next to the package directory");
      assertEquals(4, inside.count(), "nothing but the packages: no output directory, no extracted entries");
    }
  }

  @Test
  void demoPrintsTheSeedScenarioTable() {
    Run r = kbyoc("demo");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("package size (bytes)"), r.out());
    assertTrue(r.out().contains("outputs identical"), r.out());
    assertTrue(r.out().matches("(?s).*'cannot find \"\\.\\.\\.\" among input' at load\\s+[1-9]\\d*\\s+0\n.*"), r.out());
    assertTrue(r.out().matches("(?s).*constant bytes stored twice\\s+[1-9]\\d*\\s+0\n.*"), r.out());
  }

  static byte[] flip(byte[] a, int at) {
    byte[] b = a.clone();
    b[at] ^= 0x5A;
    return b;
  }
}
