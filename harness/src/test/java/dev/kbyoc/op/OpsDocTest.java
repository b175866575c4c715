package dev.kbyoc.op;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.AttrSpec;
import dev.kbyoc.ir.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/ops.md lists every registered op with its inputs, attributes (defaults) and pattern. */
class OpsDocTest {

  static String row(OpDef d) {
    String attrs = d.attrs().stream().map(OpsDocTest::attr).collect(Collectors.joining(", "));
    String inputs = d.numInputs() < 0 ? "n" : Integer.toString(d.numInputs());
    return "| `" + d.name() + "` | " + inputs + " | " + (attrs.isEmpty() ? "-" : attrs) + " | "
        + d.pattern().name().toLowerCase(Locale.ROOT) + " |";
  }

  private static String attr(AttrSpec a) {
    Object v = a.defaultValue();
    String shown = v == null ? "none" : v instanceof String s ? "\"" + s + "\"" : v.toString();
    return a.name() + "=" + shown;
  }

  @Test
  void docListsEveryOp() throws IOException {
    Path doc = Path.of("..", "docs", "ops.md");
    String text = Files.exists(doc) ? Files.readString(doc) : "";
    List<String> missing = new ArrayList<>();
    for (Op op : Op.all().values()) {
      String r = row(OpDef.of(op));
      if (!text.contains(r)) {
        missing.add(r);
      }
    }
    assertTrue(missing.isEmpty(), () -> "docs/ops.md lacks or has stale rows:\n" + String.join("\n", missing));
  }
}
