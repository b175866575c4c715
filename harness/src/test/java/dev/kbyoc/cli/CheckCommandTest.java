package dev.kbyoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.Npy;
import dev.kbyoc.runtime.ParamsFormat;
import dev.kbyoc.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kbyoc check}: one row per oracle, exit 0 / 1 / 2, bundles that {@code kbyoc repro} replays. */
class CheckCommandTest {
  /** The eight oracles of docs/verification.md, in checking order. */
  private static final List<String> ORACLES = List.of("partition-soundness", "semantic-equivalence",
      "numeric-equivalence", "quantized-rounding", "no-duplicate-constants", "text-round-trip", "kmodel-round-trip",
      "package-round-trip");

  /** conv2d + bias_add + relu + max_pool2d: one kendryte region the kmodel codegen compiles once weights are bound. */
  private static final String CNN = """
      #[version = "0.0.5"]
      def @main(%x: Tensor[(1, 2, 8, 8), float32], %w: Tensor[(4, 2, 3, 3), float32], %b: Tensor[(4), float32]) {
        %0 = nn.conv2d(%x, %w, padding=[1, 1, 1, 1], channels=4, kernel_size=[3, 3]);
        %1 = nn.bias_add(%0, %b);
        %2 = nn.relu(%1);
        nn.max_pool2d(%2, pool_size=[2, 2], strides=[2, 2])
      }
      """;

  @TempDir Path dir;
  Path model;
  Path weights;

  @BeforeEach
  void files() throws IOException {
    model = dir.resolve("cnn.relay");
    Files.writeString(model, CNN);
    float[] w = new float[4 * 2 * 3 * 3];
    for (int i = 0; i < w.length; i++) {
      w[i] = ((i * 7) % 11 - 5) / 16f;
    }
    weights = dir.resolve("w.params");
    Map<String, NDArray> p = new LinkedHashMap<>();
    p.put("w", NDArray.of(w, 4, 2, 3, 3));
    p.put("b", NDArray.of(new float[] {0.25f, -0.5f, 0f, 0.125f}, 4));
    ParamsFormat.write(weights, p);
  }

  /** The table rows: oracle name to its result column. */
  private static Map<String, String> rows(String out) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2 && ORACLES.contains(f[0])) {
        m.put(f[0], f[1]);
      }
    }
    return m;
  }

  @Test
  void everyOraclePassesOnASoundModel() {
    CliRun r = CliRun.of("check", model.toString(), "--params", weights.toString(), "--seed", "7");
    assertEquals(0, r.code(), r.out() + r.err());
    Map<String, String> rows = rows(r.out());
    assertEquals(ORACLES, new ArrayList<>(rows.keySet()), r.out());
    rows.forEach((oracle, status) -> assertEquals("PASS", status, oracle + "\n" + r.out()));
    assertTrue(r.out().startsWith("kbyoc check " + model + ": 4 ops, target kendryte, seed 7, inputs %x seeded\n"), r.out());
    assertTrue(r.out().endsWith("\n8 passed, 0 failed, 0 skipped\n"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void givenInputsAreUsedAndSeedsAreDeterministic() throws IOException {
    Path x = dir.resolve("x.npy");
    float[] v = new float[2 * 8 * 8];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i % 9) / 8f - 0.5f;
    }
    Npy.write(x, NDArray.of(v, 1, 2, 8, 8));
    Path out = dir.resolve("given");
    CliRun r = CliRun.of("check", model.toString(), "--params", weights.toString(), "--input", "x=" + x,
        "--inject", "default-constant-updater", "--out", out.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("inputs %x given"), r.out());
    assertEquals(NDArray.of(v, 1, 2, 8, 8), Npy.read(out.resolve("no-duplicate-constants/inputs/x.npy")));
  }

  @Test
  void adHocTargetSkipsWhatNeedsACodegen() throws IOException {
    CliRun r = CliRun.of("check", model.toString(), "--params", weights.toString(), "--target", "mine",
        "--supported-ops", "nn.relu,nn.max_pool2d", "--json");
    assertEquals(0, r.code(), r.out() + r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("mine", j.get("target").asText());
    Map<String, String> status = new LinkedHashMap<>();
    Map<String, String> reason = new LinkedHashMap<>();
    for (JsonNode o : j.get("oracles")) {
      status.put(o.get("oracle").asText(), o.get("status").asText());
      if (o.has("reason")) {
        reason.put(o.get("oracle").asText(), o.get("reason").asText());
      }
    }
    assertEquals(ORACLES, new ArrayList<>(status.keySet()));
    Map<String, String> expected = new LinkedHashMap<>();
    for (String o : ORACLES) {
      expected.put(o, "PASS");
    }
    for (String o : List.of("numeric-equivalence", "no-duplicate-constants", "package-round-trip")) {
      expected.put(o, "SKIP");
      assertEquals("no codegen for target mine (relay.ext.mine is not registered)", reason.get(o));
    }
    expected.put("quantized-rounding", "SKIP");
    expected.put("kmodel-round-trip", "SKIP");
    assertEquals("no kendryte region", reason.get("kmodel-round-trip"));
    assertEquals(expected, status);
    assertEquals(3, j.get("passed").asInt());
    assertEquals(5, j.get("skipped").asInt());
  }

  @Test
  void injectedFaultFailsItsOracleAndTheBundleReplays() throws IOException {
    Path out = dir.resolve("bundles");
    CliRun r = CliRun.of("check", model.toString(), "--params", weights.toString(), "--inject", "default-constant-updater",
        "--out", out.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    Map<String, String> rows = rows(r.out());
    assertEquals("FAIL", rows.get("no-duplicate-constants"), r.out());
    assertEquals(1, rows.values().stream().filter("FAIL"::equals).count(), r.out());
    assertTrue(r.out().contains("no-duplicate-constants  FAIL"), r.out());
    assertTrue(r.out().contains("unreferenced-param: param \"kendryte_0_const_0\""), r.out());
    Path bundle = out.resolve("no-duplicate-constants");
    assertTrue(r.out().contains("  bundle: " + bundle + "  (replay: kbyoc repro " + bundle + ")"), r.out());
    assertTrue(r.out().endsWith("\n7 passed, 1 failed, 0 skipped\n"), r.out());
    JsonNode cj = new ObjectMapper().readTree(bundle.resolve("case.json").toFile());
    assertEquals("no-duplicate-constants", cj.get("oracle").asText());
    assertEquals("unreferenced-param", cj.get("kind").asText());
    assertEquals("default-constant-updater", cj.get("faults").get(0).asText());

    CliRun replay = CliRun.of("repro", bundle.toString());
    assertEquals(1, replay.code(), replay.out());
    assertTrue(replay.out().contains("reproduced: no-duplicate-constants/unreferenced-param"), replay.out());
    CliRun fixed = CliRun.of("repro", "--without-faults", bundle.toString());
    assertEquals(0, fixed.code(), fixed.out());
    assertTrue(fixed.out().contains("pass: the recorded failure no longer occurs"), fixed.out());
  }

  @Test
  void aFaultInTheHostBuildFailsNumericEquivalence() throws IOException {
    Path sub = dir.resolve("sub.relay");
    Files.writeString(sub, """
        #[version = "0.0.5"]
        def @main(%a: Tensor[(2, 8), float32], %b: Tensor[(2, 8), float32]) {
          %0 = subtract(%a, %b);
          exp(%0)
        }
        """);
    Path out = dir.resolve("sub-bundles");
    CliRun r = CliRun.of("check", sub.toString(), "--inject", "fuse-wrong-order", "--out", out.toString(), "--json");
    assertEquals(1, r.code(), r.out() + r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    JsonNode numeric = j.get("oracles").get(2);
    assertEquals("numeric-equivalence", numeric.get("oracle").asText());
    assertEquals("FAIL", numeric.get("status").asText());
    assertEquals("host-only:out-of-tolerance", numeric.get("kind").asText());
    assertEquals(out.resolve("numeric-equivalence").toString(), numeric.get("bundle").asText());
    assertEquals(1, j.get("failed").asInt(), r.out());
    CliRun replay = CliRun.of("repro", numeric.get("bundle").asText());
    assertEquals(1, replay.code(), replay.out());
    assertTrue(replay.out().contains("reproduced: numeric-equivalence/host-only:out-of-tolerance"), replay.out());
  }

  @Test
  void bundleOfAnAdHocTargetReplaysWithThatTarget() throws IOException {
    // add -> exp -> add with only add supported: merging both adds into one region makes a cycle
    // through the host's exp, which MergeCompilerRegions must refuse.
    Path diamond = dir.resolve("diamond.relay");
    Files.writeString(diamond, """
        #[version = "0.0.5"]
        def @main(%x: Tensor[(2, 4), float32]) {
          %0 = add(%x, %x);
          %1 = exp(%0);
          add(%0, %1)
        }
        """);
    Path out = dir.resolve("diamond-bundles");
    String[] args = {"check", diamond.toString(), "--target", "mine", "--supported-ops", "add"};
    CliRun clean = CliRun.of(args);
    assertEquals(0, clean.code(), clean.out() + clean.err());
    CliRun r = CliRun.of(java.util.stream.Stream.concat(java.util.Arrays.stream(args),
        java.util.stream.Stream.of("--inject", "merge-ignores-restrictions", "--out", out.toString())).toArray(String[]::new));
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("partition-soundness     FAIL"), r.out());
    assertTrue(r.out().contains("region-cycle: MergeCompilerRegions made regions that form a cycle: @mine#0 -> host:%1 -> @mine#0"),
        r.out());
    Path bundle = out.resolve("partition-soundness");
    CliRun replay = CliRun.of("repro", bundle.toString());
    assertEquals(1, replay.code(), replay.out() + replay.err());
    assertTrue(replay.out().contains("reproduced: partition-soundness/region-cycle"), replay.out());
    CliRun fixed = CliRun.of("repro", "--without-faults", bundle.toString());
    assertEquals(0, fixed.code(), fixed.out() + fixed.err());
    assertTrue(fixed.out().contains("pass: the recorded failure no longer occurs"), fixed.out());
  }

  @Test
  void badInputIsOneLineAndExitTwo() throws IOException {
    assertBadInput(CliRun.of("check", dir.resolve("missing.relay").toString()), "missing.relay: model file does not exist");
    Path x = dir.resolve("x.npy");
    Npy.write(x, NDArray.of(new float[] {1, 2, 3}, 1, 3));
    assertBadInput(CliRun.of("check", model.toString(), "--params", weights.toString(), "--input", "x=" + x),
        "input %x: --input x holds Tensor[(1, 3), float32], @main expects Tensor[(1, 2, 8, 8), float32]");
    assertBadInput(CliRun.of("check", model.toString(), "--target", "nope"), "unknown target [nope]");
    assertBadInput(CliRun.of("check", model.toString(), "--target", "t", "--supported-ops", "no.such.op"),
        "unknown operator [no.such.op]");
    Path file = dir.resolve("a-file");
    Files.writeString(file, "not a directory");
    assertBadInput(CliRun.of("check", model.toString(), "--params", weights.toString(), "--inject", "default-constant-updater",
        "--out", file.toString()), file.resolve("no-duplicate-constants") + ": cannot write the repro bundle: ");
  }

  private static void assertBadInput(CliRun r, String expected) {
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("kbyoc: error: ") && r.err().contains(expected), r.err());
    assertEquals(1, r.err().split("\n").length, r.err());
  }
}
