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
 * importer and the reference interpreter. Prints a pass/fail/unsupported table per group and the
 * {@code op: pass/total} table of the ops the importer claims ({@link ConformanceTable#LISTED}).
 * Fails when a case listed in {@code conformance-expected.txt} does not pass (a regression), when
 * a case passes that is not listed (accept it with {@code -Dkbyoc.updateGolden=true}, which
 * rewrites the list), and when a node test of a claimed op is neither expected to pass nor
 * excluded with a reason in {@code conformance-excluded.txt}. The data directory is
 * {@code /usr/share/libonnx-testdata/data} or the {@code kbyoc.onnx.testdata} system property;
 * without it the suite is skipped.
 */
class OnnxConformanceTest {
  static final Path DEFAULT_DATA = Paths.get("/usr/share/libonnx-testdata/data");
  static final List<String> CATEGORIES = List.of("node", "pytorch-converted", "pytorch-operator", "simple");
  static final String EXPECTED = "conformance-expected.txt";
  static final String EXCLUDED = "conformance-excluded.txt";
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
    System.out.println(ConformanceTable.groups(results));
    System.out.println(ConformanceTable.listed(results));

    Set<String> expected = readList(EXPECTED).keySet();
    Map<String, String> excluded = readList(EXCLUDED);
    Set<String> passing = new TreeSet<>();
    List<String> regressions = new ArrayList<>();
    List<String> uncovered = new ArrayList<>();
    for (Result r : results) {
      if (r.status() == Status.PASS) {
        passing.add(r.id());
      } else if (expected.contains(r.id())) {
        regressions.add(r.id() + " [" + r.status() + "] " + r.detail());
      }
      boolean claimed = expected.contains(r.id()) || excluded.containsKey(r.id()) && r.status() != Status.PASS;
      if (ConformanceTable.isListed(r) && !claimed) {
        uncovered.add(r.id() + " (" + r.group() + ") [" + r.status() + "] " + r.detail());
      }
    }
    Set<String> fresh = new TreeSet<>(passing);
    fresh.removeAll(expected);
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
    assertTrue(fresh.isEmpty(), fresh.size() + " ONNX cases pass but are not in " + EXPECTED
        + " (add them, e.g. with -Dkbyoc.updateGolden=true): " + String.join(", ", fresh));
    assertTrue(uncovered.isEmpty(), uncovered.size() + " node tests of claimed ops are neither in " + EXPECTED
        + " nor excluded (with a reason, and still not passing) in " + EXCLUDED + ":\n  " + String.join("\n  ", uncovered));
  }

  /** A resource list: {@code case [reason]} per line, {@code #} comments; case -> reason. */
  private static Map<String, String> readList(String resource) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (var in = OnnxConformanceTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        return out;
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#")) {
          String[] kv = l.split("\\s+", 2);
          out.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
      }
    }
    return out;
  }
}
