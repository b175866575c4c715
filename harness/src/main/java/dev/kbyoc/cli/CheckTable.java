package dev.kbyoc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kbyoc.ir.Faults;
import dev.kbyoc.verify.ModelCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders the result of {@code kbyoc check}: a header line, one row per oracle (name, PASS, FAIL
 * or SKIP, milliseconds, message on one line, then the bundle path of a failure), and a closing
 * count line {@code N passed, M failed, K skipped}; or the same as JSON.
 */
final class CheckTable {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What was checked.
   *
   * @param model the model path as given
   * @param target the target name
   * @param seed the seed of the generated inputs
   * @param ops op calls in {@code @main}
   * @param given the parameters given by {@code --input}
   * @param inputs every input parameter (given or seeded; weights are not inputs)
   * @param faults the injected faults
   */
  record Header(String model, String target, long seed, int ops, Set<String> given, Set<String> inputs,
      List<Faults.Fault> faults) {}

  private CheckTable() {}

  static String text(Header h, List<ModelCheck.Row> rows, Map<String, Path> bundles) {
    StringBuilder sb = new StringBuilder();
    List<String> ins = new ArrayList<>();
    for (String in : h.inputs()) {
      ins.add("%" + in + (h.given().contains(in) ? " given" : " seeded"));
    }
    sb.append("kbyoc check ").append(h.model()).append(": ").append(h.ops()).append(" ops, target ").append(h.target())
        .append(", seed ").append(h.seed()).append(", inputs ").append(ins.isEmpty() ? "none" : String.join(", ", ins));
    if (!h.faults().isEmpty()) {
      sb.append(", injecting ").append(h.faults().stream().map(Faults.Fault::cliName).toList());
    }
    sb.append('\n');
    int width = "oracle".length();
    for (ModelCheck.Row r : rows) {
      width = Math.max(width, r.oracle().length());
    }
    String fmt = "%-" + width + "s  %-6s  %9s  %s%n";
    sb.append(String.format(Locale.ROOT, fmt, "oracle", "result", "time (ms)", "message"));
    for (ModelCheck.Row r : rows) {
      sb.append(String.format(Locale.ROOT, fmt, r.oracle(), r.status(), millis(r.nanos()), Main.oneLine(r.message())).stripTrailing())
          .append('\n');
      Path b = bundles.get(r.oracle());
      if (b != null) {
        sb.append("  bundle: ").append(b).append("  (replay: kbyoc repro ").append(b).append(")\n");
      }
    }
    sb.append(count(rows, ModelCheck.Status.PASS)).append(" passed, ").append(count(rows, ModelCheck.Status.FAIL))
        .append(" failed, ").append(count(rows, ModelCheck.Status.SKIP)).append(" skipped\n");
    return sb.toString();
  }

  static String json(Header h, List<ModelCheck.Row> rows, Map<String, Path> bundles) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", h.model());
    m.put("target", h.target());
    m.put("seed", h.seed());
    m.put("ops", h.ops());
    Map<String, String> ins = new LinkedHashMap<>();
    h.inputs().forEach(in -> ins.put(in, h.given().contains(in) ? "given" : "seeded"));
    m.put("inputs", ins);
    m.put("faults", h.faults().stream().map(Faults.Fault::cliName).toList());
    List<Map<String, Object>> list = new ArrayList<>();
    for (ModelCheck.Row r : rows) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("oracle", r.oracle());
      row.put("status", r.status().name());
      row.put("ms", Double.parseDouble(millis(r.nanos())));
      if (r.status() == ModelCheck.Status.FAIL) {
        row.put("kind", r.verdict().kind());
        row.put("message", r.verdict().message());
      } else if (r.status() == ModelCheck.Status.SKIP) {
        row.put("reason", r.reason());
      }
      if (bundles.containsKey(r.oracle())) {
        row.put("bundle", bundles.get(r.oracle()).toString());
      }
      list.add(row);
    }
    m.put("oracles", list);
    m.put("passed", count(rows, ModelCheck.Status.PASS));
    m.put("failed", count(rows, ModelCheck.Status.FAIL));
    m.put("skipped", count(rows, ModelCheck.Status.SKIP));
    try {
      return JSON.writeValueAsString(m) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long count(List<ModelCheck.Row> rows, ModelCheck.Status s) {
    return rows.stream().filter(r -> r.status() == s).count();
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }
}
