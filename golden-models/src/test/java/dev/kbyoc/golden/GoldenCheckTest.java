package dev.kbyoc.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbyoc.testing.CliRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code kbyoc check model.onnx --input input=input.npy --json} on every golden model: no oracle
 * fails, and only the kmodel oracles may be skipped (a region the kmodel codegen does not take).
 * ONNX import gives the calls of one node one span, so this also proves that check identifies each
 * op on its own (the partition oracle reported a duplicated op before {@code ModelCase} re-spanned
 * such models). That includes {@code oversize}: the Kendryte rules keep its layers whose maps exceed
 * the 2 MiB KPU RAM on the host, so the model splits instead of failing the build.
 */
class GoldenCheckTest {
  private static final List<String> ORACLES = List.of("partition-soundness", "semantic-equivalence",
      "numeric-equivalence", "quantized-rounding", "no-duplicate-constants", "text-round-trip", "kmodel-round-trip",
      "package-round-trip");
  private static final Set<String> MAY_SKIP = Set.of("quantized-rounding", "kmodel-round-trip");

  @TestFactory
  Stream<DynamicTest> everyOraclePassesOnEveryGoldenModel() {
    return ModelZoo.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> check(m)));
  }

  private static void check(GoldenModel m) throws Exception {
    Path dir = GoldenModelsTest.dir(m);
    CliRun r = CliRun.of("check", dir.resolve("model.onnx").toString(), "--input",
        m.input() + "=" + dir.resolve("input.npy"), "--json");
    assertEquals(0, r.code(), m.name() + ": " + r.out() + r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("given", j.get("inputs").get(m.input()).asText(), r.out());
    List<String> names = new ArrayList<>();
    for (JsonNode o : j.get("oracles")) {
      String name = o.get("oracle").asText();
      names.add(name);
      String status = o.get("status").asText();
      assertTrue(status.equals("PASS") || status.equals("SKIP") && MAY_SKIP.contains(name),
          m.name() + ": " + name + " " + status + " " + o);
    }
    assertEquals(ORACLES, names, r.out());
    assertEquals(0, j.get("failed").asInt(), r.out());
  }
}
