package dev.kbyoc.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kbyoc.ir.Faults;
import dev.kbyoc.ir.NDArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A repro bundle: a self-contained directory for one failing case. Layout:
 * <pre>
 *   README.md            what failed and how to replay ({@code kbyoc repro DIR})
 *   case.json            seed, options, injected faults, oracle, kind, message, reduction
 *   model.relay          the (reduced) model as Relay text, weights as free parameters
 *   model.params         its sidecar: meta[relay.Constant][i] data and the weights (TVM params binary)
 *   inputs/NAME.npy      the input values
 *   outputs/ENGINE_I.npy what each engine produced
 * </pre>
 */
public final class Bundle {
  public static final String CASE_JSON = "case.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Bundle() {}

  /** Writes the bundle for a failing case into {@code dir} (created) and returns it. */
  public static Path write(Path dir, CaseRun run, Verdict verdict, FuzzConfig cfg, Reducer.Result<GraphCase> r)
      throws IOException {
    Files.createDirectories(dir.resolve("inputs"));
    Files.createDirectories(dir.resolve("outputs"));
    GraphCase c = run.testCase();
    BundleModel.write(dir, c);
    try {
      run.reference();
    } catch (RuntimeException e) {
      // The reference run is best effort: the bundle still records the failure.
    }
    for (Map.Entry<String, List<NDArray>> e : run.engineOutputs().entrySet()) {
      for (int i = 0; i < e.getValue().size(); i++) {
        BundleModel.writeNpy(dir.resolve("outputs").resolve(e.getKey() + "_" + i + ".npy"), e.getValue().get(i));
      }
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("seed", c.seed());
    json.put("target", c.options().target());
    json.put("options", options(c.options()));
    List<String> faults = new ArrayList<>();
    (cfg == null ? Faults.active() : cfg.faults()).forEach(f -> faults.add(f.cliName()));
    json.put("faults", faults);
    json.put("oracle", verdict.oracle());
    json.put("kind", verdict.kind());
    json.put("message", verdict.message());
    json.put("ops", c.opCount());
    if (r != null) {
      json.put("reduction", Map.of("steps", r.steps(), "checks", r.checks(), "sizeBefore", r.sizeBefore(),
          "sizeAfter", r.sizeAfter()));
    }
    JSON.writeValue(dir.resolve(CASE_JSON).toFile(), json);
    String inject = faults.isEmpty() ? "" : " (with faults injected: " + String.join(", ", faults) + ")";
    Files.writeString(dir.resolve("README.md"), "# kbyoc repro: " + verdict.oracle() + "/" + verdict.kind() + "\n\n"
        + verdict.message() + "\n\nReplay: `kbyoc repro " + dir + "`" + inject
        + "; shrink further: `kbyoc reduce " + dir + " -o OUT`. Seed " + c.seed() + ", " + c.opCount() + " ops.\n",
        StandardCharsets.UTF_8);
    return dir;
  }

  static Map<String, Object> options(GenOptions o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("maxNodes", o.maxNodes());
    m.put("minNodes", o.minNodes());
    m.put("target", o.target());
    m.put("supportedOps", new java.util.TreeSet<>(o.supportedOps()));
    m.put("supportedRatio", o.supportedRatio());
    m.put("weightParamRatio", o.weightParamRatio());
    m.put("maxChannels", o.maxChannels());
    m.put("onlyOps", new java.util.TreeSet<>(o.onlyOps()));
    return m;
  }

  /** What a bundle holds, read back. */
  public record Loaded(GraphCase testCase, Verdict verdict, List<Faults.Fault> faults, Map<String, Object> json) {}

  /** Reads a bundle; a {@link dev.kbyoc.ir.KbyocException} naming the file when it is malformed. */
  @SuppressWarnings("unchecked")
  public static Loaded read(Path dir) throws IOException {
    Path cj = dir.resolve(CASE_JSON);
    if (!Files.isRegularFile(cj)) {
      throw new dev.kbyoc.ir.KbyocException(dir + " is not a repro bundle: no " + CASE_JSON);
    }
    Map<String, Object> json = JSON.readValue(cj.toFile(), Map.class);
    Map<String, Object> o = (Map<String, Object>) json.get("options");
    GenOptions opts = new GenOptions(((Number) o.get("maxNodes")).intValue(), ((Number) o.get("minNodes")).intValue(),
        (String) o.get("target"), new java.util.HashSet<>((List<String>) o.get("supportedOps")),
        ((Number) o.get("supportedRatio")).doubleValue(), ((Number) o.get("weightParamRatio")).doubleValue(),
        ((Number) o.get("maxChannels")).intValue(),
        new java.util.HashSet<>((List<String>) o.getOrDefault("onlyOps", List.of())));
    long seed = ((Number) json.get("seed")).longValue();
    GraphCase c = BundleModel.read(dir, seed, opts);
    List<Faults.Fault> faults = new ArrayList<>();
    for (Object f : (List<Object>) json.getOrDefault("faults", List.of())) {
      faults.add(Faults.Fault.parse((String) f));
    }
    Verdict v = Verdict.fail((String) json.get("oracle"), (String) json.get("kind"), (String) json.get("message"));
    return new Loaded(c, v, faults, json);
  }
}
