package dev.kbyoc.verify;

import dev.kbyoc.build.BuildResult;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.LoadedPackage;
import dev.kbyoc.runtime.PackageReader;
import dev.kbyoc.runtime.PackageWriter;
import dev.kbyoc.runtime.ParamsFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Oracle 5c: the partitioned build exported as a package and loaded back (through the module
 * loader registry and the params binary) computes bit-identical outputs on the graph runtime,
 * with the same params ({@code params}) and no runtime warning the in-memory build did not give
 * ({@code warnings}); a mismatch is {@code outputs}.
 */
public final class PackageRoundTrip implements Oracle {
  public static final String NAME = "package-round-trip";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Verdict check(CaseRun run) {
    BuildResult b = run.builtPartitioned();
    byte[] pkg = PackageWriter.toBytes(b.graphJson(), ParamsFormat.encode(b.params()), b.modules());
    LoadedPackage p = PackageReader.read(pkg, "case-" + run.testCase().seed() + ".pkg");
    Map<String, NDArray> params = ParamsFormat.decode(p.params(), PackageWriter.PARAMS);
    if (!params.equals(b.params())) {
      return Verdict.fail(NAME, "params", "params " + b.params().keySet() + " came back as " + params.keySet()
          + " or with other bytes");
    }
    List<String> before = new ArrayList<>();
    List<String> after = new ArrayList<>();
    List<NDArray> direct = GraphEngine.run(b, run.testCase().inputs(), before);
    List<NDArray> loaded = run.record("package", GraphEngine.run(p.graph(), p.modules(), params, run.testCase().inputs(), after));
    String[] d = TolerancePolicy.EXACT.compare("built", direct, "loaded package", loaded);
    if (d != null) {
      return Verdict.fail(NAME, "outputs", d[1]);
    }
    if (!after.equals(before)) {
      return Verdict.fail(NAME, "warnings", "the loaded package warns " + after + ", the build warned " + before);
    }
    return Verdict.pass();
  }
}
