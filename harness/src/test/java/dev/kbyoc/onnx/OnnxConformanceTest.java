package dev.kbyoc.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kbyoc.onnx.ConformanceCase.Result;
import dev.kbyoc.onnx.ConformanceCase.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ONNX's official backend test cases (Debian package {@code libonnx-testdata}) through the
 * importer and the reference interpreter. Prints a pass/fail/unsupported table per op; every case
 * listed in {@code conformance-expected.txt} must pass, so a regression fails the build, while a
 * newly passing case is only reported (accept it with {@code -Dkbyoc.updateGolden=true}, which
 * rewrites the list). The data directory is {@code /usr/share/libonnx-testdata/data} or the
 * {@code kbyoc.onnx.testdata} system property; without it the suite is skipped.
 */
class OnnxConformanceTest {
  static final Path DEFAULT_DATA = Paths.get("/usr/share/libonnx-testdata/data");
  static final List<String> CATEGORIES = List.of("node", "pytorch-converted", "pytorch-operator", "simple");
  static final String EXPECTED = "conformance-expected.txt";
  /** {@code -Dkbyoc.onnx.verbose=true} also lists every unsupported case with its reason. */
  static final boolean VERBOSE = Boolean.getBoolean("kbyoc.onnx.verbose");

  @Test
  void officialBackendCasesMatchTheirExpectedOutputs() throws IOException {
    Path data = Paths.get(System.getProperty("kbyoc.onnx.testdata", DEFAULT_DATA.toString()));
    assumeTrue(Files.isDirectory(data.resolve("node")), "ONNX backend test data not found at " + data
        + " (install the Debian package libonnx-testdata, or set -Dkbyoc.onnx.testdata=DIR); conformance suite skipped");
    List<String[]> cases = new ArrayList<>();
    for (String cat : CATEGORIES) {
      Path dir = data.resolve(cat);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(p -> Files.exists(p.resolve("model.onnx"))).sorted()
            .forEach(p -> cases.add(new String[] {cat, p.getFileName().toString(), p.toString()}));
      }
    }
    List<Result> results = cases.parallelStream()
        .map(c -> ConformanceCase.run(c[0] + "/" + c[1], c[0], Paths.get(c[2])))
        .toList();
    System.out.println(table(results));

    Set<String> expected = readExpected();
    Set<String> passing = new TreeSet<>();
    List<String> regressions = new ArrayList<>();
    for (Result r : results) {
      if (r.status() == Status.PASS) {
        passing.add(r.id());
      } else if (expected.contains(r.id())) {
        regressions.add(r.id() + " [" + r.status() + "] " + r.detail());
      }
    }
    Set<String> fresh = new TreeSet<>(passing);
    fresh.removeAll(expected);
    if (!fresh.isEmpty()) {
      System.out.println("newly passing (not yet in " + EXPECTED + "): " + String.join(", ", fresh));
    }
    for (Result r : results) {
      if (r.status() != Status.PASS && !expected.contains(r.id()) && VERBOSE) {
        System.out.println(r.status().name().toLowerCase(java.util.Locale.ROOT) + ": " + r.id() + ": " + r.detail());
      } else if (r.status() == Status.FAIL && !expected.contains(r.id())) {
        System.out.println("known failure: " + r.id() + ": " + r.detail());
      }
    }
    if (Boolean.getBoolean("kbyoc.updateGolden")) {
      Path src = Paths.get("src/test/resources/dev/kbyoc/onnx", EXPECTED);
      Files.writeString(src, "# ONNX backend cases expected to pass (category/case), one per line.\n"
          + "# Regenerate with: mvn -pl harness test -Dtest=OnnxConformanceTest -Dkbyoc.updateGolden=true\n"
          + String.join("\n", passing) + "\n", StandardCharsets.UTF_8);
      System.out.println("rewrote " + src.toAbsolutePath() + " with " + passing.size() + " cases");
      return;
    }
    assertTrue(regressions.isEmpty(), regressions.size() + " expected-passing ONNX cases regressed:\n  "
        + String.join("\n  ", regressions));
  }

  private static Set<String> readExpected() throws IOException {
    Set<String> out = new TreeSet<>();
    try (var in = OnnxConformanceTest.class.getResourceAsStream(EXPECTED)) {
      if (in == null) {
        return out;
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#")) {
          out.add(l);
        }
      }
    }
    return out;
  }

  /** The per-group table, e.g. {@code conv  4/4  (fail 0, unsupported 0)}, then the totals. */
  static String table(List<Result> results) {
    Map<String, int[]> counts = new TreeMap<>();
    for (Result r : results) {
      counts.computeIfAbsent(r.group(), k -> new int[3])[r.status().ordinal()]++;
    }
    StringBuilder sb = new StringBuilder("ONNX conformance (rtol 1e-3, atol 1e-7): group pass/total, fail, unsupported\n");
    int[] total = new int[3];
    for (Map.Entry<String, int[]> e : counts.entrySet()) {
      int[] c = e.getValue();
      sb.append(String.format("  %-28s %4d/%-4d fail %3d  unsupported %3d%n", e.getKey() + ":", c[0], c[0] + c[1] + c[2], c[1], c[2]));
      for (int i = 0; i < 3; i++) {
        total[i] += c[i];
      }
    }
    sb.append(String.format("  %-28s %4d/%-4d fail %3d  unsupported %3d", "TOTAL:", total[0], total[0] + total[1] + total[2],
        total[1], total[2]));
    return sb.toString();
  }
}
