package dev.kbyoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbyoc.testing.CliRun;
import dev.kbyoc.testing.TestCodegens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each injectable fault is found by {@code kbyoc fuzz --inject F} within 200 tries, by the oracle
 * that exists for it, with a reduced repro of at most 8 op nodes that {@code kbyoc repro} replays;
 * the same seeds pass without the fault.
 */
class FaultDetectionTest {
  private static final long SEED = 20261125L;
  @TempDir Path tmp;

  static Stream<Arguments> faults() {
    return Stream.of(
        // The Kendryte rules offload no op with two tensor inputs, so kendryte regions never merge
        // around a diamond and the merge restriction cannot matter there; the any-shape op list of
        // the hostembed test target (add of two tensors) exercises it.
        Arguments.of("merge-ignores-restrictions", "partition-soundness", TestCodegens.EMBEDDING),
        Arguments.of("partition-drops-output", "semantic-equivalence", "kendryte"),
        Arguments.of("sim-rounding", "quantized-rounding", "kendryte"),
        Arguments.of("default-constant-updater", "no-duplicate-constants", "kendryte"),
        Arguments.of("fuse-wrong-order", "numeric-equivalence", "kendryte"));
  }

  @ParameterizedTest
  @MethodSource("faults")
  void faultIsDetectedReducedAndReplayed(String fault, String oracle, String target) throws Exception {
    Path out = tmp.resolve(fault);
    CliRun r = CliRun.of("fuzz", "--target", target, "--tries", "200", "--seed", Long.toString(SEED), "--inject", fault,
        "--max-failures", "1",
        "--out", out.toString(), "--quiet");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains(", 1 failed"), r.out() + r.err());
    Matcher m = Pattern.compile("FAIL case (\\d+) seed (-?\\d+)").matcher(r.out());
    assertTrue(m.find(), r.out() + r.err());
    int index = Integer.parseInt(m.group(1));
    Matcher b = Pattern.compile("bundle: (\\S+)").matcher(r.out());
    assertTrue(b.find(), r.out() + r.err());
    Path bundle = Path.of(b.group(1));
    @SuppressWarnings("unchecked")
    Map<String, Object> json = new ObjectMapper().readValue(bundle.resolve("case.json").toFile(), Map.class);
    assertEquals(oracle, json.get("oracle"), r.out() + r.err());
    int ops = ((Number) json.get("ops")).intValue();
    assertTrue(ops <= 8, "reduced repro has " + ops + " ops:\n" + Files.readString(bundle.resolve("model.relay")));
    assertTrue(Files.isRegularFile(bundle.resolve("model.relay")) && Files.isRegularFile(bundle.resolve("README.md")));

    CliRun replay = CliRun.of("repro", bundle.toString());
    assertEquals(1, replay.code(), replay.out() + replay.err());
    assertTrue(replay.out().contains("reproduced: " + oracle), replay.out() + replay.err());
    CliRun fixed = CliRun.of("repro", "--without-faults", bundle.toString());
    assertEquals(0, fixed.code(), fixed.out() + fixed.err());
    assertTrue(fixed.out().contains("pass"), fixed.out() + fixed.err());

    CliRun clean = CliRun.of("fuzz", "--target", target, "--tries", Integer.toString(index + 1), "--seed",
        Long.toString(SEED), "--quiet");
    assertEquals(0, clean.code(), clean.out() + clean.err());
    assertTrue(clean.out().contains((index + 1) + " passed, 0 failed"), clean.out() + clean.err());
  }
}
