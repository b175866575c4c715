package dev.kbyoc.build;

import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.runtime.ByteSearch;
import dev.kbyoc.runtime.ConstantAudit;
import dev.kbyoc.runtime.GraphRuntime;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.runtime.LoadedPackage;
import dev.kbyoc.runtime.PackageReader;
import dev.kbyoc.runtime.PackageWriter;
import dev.kbyoc.runtime.ParamsFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed scenario end to end: build a partitioned model once with the codegens' registered
 * constant updaters and once with the default updater forced (the seed bug), export both
 * packages, load them back, run them on the graph runtime counting the
 * {@code cannot find "..." among input} warnings, and compare their outputs with each other and
 * with the reference interpreter on the original module.
 */
public final class SeedScenario {
  /** One build/export/load/run. */
  public record Outcome(String updater, long packageBytes, long graphJsonBytes, long moduleHeaderBytes, int params,
      long duplicatedBytes, int warnings, List<NDArray> outputs, double maxRelErr) {}

  /** Both outcomes and the model's unique constant bytes. */
  public record Report(long uniqueConstantBytes, int externalConstants, Outcome defaults, Outcome registered) {
    /** Whether the two builds produced bitwise identical outputs. */
    public boolean identicalOutputs() {
      return defaults.outputs().equals(registered.outputs());
    }

    /** The expected result: N warnings vs 0, identical outputs, both within tolerance. */
    public boolean asExpected(double tolerance) {
      return registered.warnings() == 0 && defaults.warnings() == externalConstants && identicalOutputs()
          && registered.maxRelErr() <= tolerance && defaults.duplicatedBytes() > 0 && registered.duplicatedBytes() == 0;
    }

    public String table() {
      StringBuilder sb = new StringBuilder();
      String f = "%-44s %20s %32s%n";
      sb.append(String.format(f, "", "default updater", "registered updater"));
      sb.append(String.format(f, "", "(seed bug, forced)", "(relay.ext.*.constant_updater)"));
      row(sb, f, "package size (bytes)", defaults.packageBytes(), registered.packageBytes());
      row(sb, f, "unique constant bytes in the model", uniqueConstantBytes, uniqueConstantBytes);
      row(sb, f, "graph JSON + module header bytes", defaults.graphJsonBytes() + defaults.moduleHeaderBytes(),
          registered.graphJsonBytes() + registered.moduleHeaderBytes());
      row(sb, f, "params in the package", defaults.params(), registered.params());
      row(sb, f, "constant bytes stored twice", defaults.duplicatedBytes(), registered.duplicatedBytes());
      row(sb, f, "'cannot find \"...\" among input' at load", defaults.warnings(), registered.warnings());
      sb.append(String.format(f, "max rel. error vs interpreter", String.format("%.2e", defaults.maxRelErr()),
          String.format("%.2e", registered.maxRelErr())));
      sb.append(String.format(f, "outputs identical", identicalOutputs() ? "yes" : "NO", identicalOutputs() ? "yes" : "NO"));
      return sb.toString();
    }

    private static void row(StringBuilder sb, String f, String label, long a, long b) {
      sb.append(String.format(f, label, a, b));
    }
  }

  private SeedScenario() {}

  /** Runs the scenario on a partitioned model, checked against the interpreter on {@code reference}. */
  public static Report run(IRModule reference, IRModule model, Map<String, NDArray> inputs) {
    List<NDArray> want = new Interpreter(reference).runFlat(inputs);
    Map<String, NDArray> unique = uniqueConstants(model);
    long uniqueBytes = unique.values().stream().mapToLong(NDArray::byteSize).sum();
    int external = 0;
    for (Function fn : model.functions().values()) {
      if (fn.compiler() != null) {
        external += DefaultConstantUpdater.constants(fn).size();
      }
    }
    Outcome def = once(model, inputs, want, unique, true);
    Outcome reg = once(model, inputs, want, unique, false);
    return new Report(uniqueBytes, external, def, reg);
  }

  /** Every constant of every function, once per distinct content (by SHA-256). */
  public static Map<String, NDArray> uniqueConstants(IRModule model) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Function fn : model.functions().values()) {
      for (Expr e : PostOrder.of(fn.body())) {
        if (e instanceof Constant c) {
          out.putIfAbsent(ByteSearch.sha256(c.data().toBytes()), c.data());
        }
      }
    }
    return out;
  }

  private static Outcome once(IRModule model, Map<String, NDArray> inputs, List<NDArray> want, Map<String, NDArray> unique, boolean force) {
    BuildResult r = RelayBuild.build(model, Map.of(), BuildOptions.DEFAULT.withForceDefaultUpdater(force));
    byte[] archive = PackageWriter.toBytes(r.graphJson(), ParamsFormat.encode(r.params()), r.modules());
    LoadedPackage pkg = PackageReader.read(archive, force ? "default.kbyoc" : "registered.kbyoc");
    List<String> warnings = new ArrayList<>();
    GraphRuntime rt = new GraphRuntime(pkg.graph(), pkg.modules(), warnings::add);
    Map<String, NDArray> params = ParamsFormat.decode(pkg.params(), "params.bin");
    rt.loadParams(params);
    inputs.forEach(rt::setInput);
    rt.run();
    List<NDArray> outs = new ArrayList<>();
    double err = 0;
    for (int i = 0; i < rt.numOutputs(); i++) {
      outs.add(rt.getOutput(i));
      err = Math.max(err, maxRelErr(outs.get(i), want.get(i)));
    }
    long headers = 0;
    for (int i = 0; i < pkg.modules().size(); i++) {
      byte[] blob = pkg.entries().get(pkg.manifest().modules().get(i).name());
      long embedded = 0;
      for (NDArray c : unique.values()) {
        if (c.byteSize() >= ConstantAudit.MIN_MATCH_BYTES && ByteSearch.contains(blob, c.toBytes())) {
          embedded += c.byteSize();
        }
      }
      headers += blob.length - embedded;
    }
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    java.util.Set<String> constVars = new java.util.HashSet<>();
    for (int i = 0; i < pkg.modules().size(); i++) {
      String entry = pkg.manifest().modules().get(i).name();
      blobs.put(entry, pkg.entries().get(entry));
      constVars.addAll(pkg.modules().get(i).constVars());
    }
    long dup = ConstantAudit.of(pkg.graph(), params, blobs, constVars, ConstantAudit.externalSymbols(pkg.modules())).wastedBytes();
    return new Outcome(force ? "default" : "registered", archive.length, pkg.graph().toJson().length(), headers,
        params.size(), dup, warnings.size(), outs, err);
  }

  /** Largest |a - b| / max(|b|, 1e-6) over the elements. */
  public static double maxRelErr(NDArray a, NDArray b) {
    double worst = 0;
    for (int i = 0; i < a.size(); i++) {
      worst = Math.max(worst, Math.abs(a.getDouble(i) - b.getDouble(i)) / Math.max(1e-6, Math.abs(b.getDouble(i))));
    }
    return worst;
  }
}
