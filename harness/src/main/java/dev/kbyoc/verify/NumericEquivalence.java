package dev.kbyoc.verify;

import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.backend.KendryteModule;
import dev.kbyoc.kendryte.codegen.QuantizeMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Oracle 3: what users run agrees with the reference. The host-only build (same model, nothing
 * offloaded) must give the reference interpreter's exact bits: every host kernel is defined to
 * (see {@link #hostPolicy}). The partitioned build (graph runtime, host kernels and each external
 * module, e.g. the Kendryte simulator) is compared under {@link TolerancePolicy#FLOAT_TIGHT}
 * (float kmodels fold batch norm into their own float tables), or, when it holds a uint8 kmodel,
 * per output under {@link TolerancePolicy#uint8EndToEnd}: the policy follows the kmodels'
 * quantize mode.
 * Kinds name the engine: {@code partitioned:out-of-tolerance}, {@code host-only:output-count}, ...
 */
public final class NumericEquivalence implements Oracle {
  public static final String NAME = "numeric-equivalence";
  private final TolerancePolicy policy;

  public NumericEquivalence() {
    this(TolerancePolicy.FLOAT_TIGHT);
  }

  public NumericEquivalence(TolerancePolicy policy) {
    this.policy = policy;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Verdict check(CaseRun run) {
    List<NDArray> ref = run.reference();
    List<String> warnings = new ArrayList<>();
    List<NDArray> host = run.record("graph-host-only", GraphEngine.run(run.builtHostOnly(), run.testCase().inputs(), warnings));
    String[] d = hostPolicy().compare("interpreter", ref, "host-only build", host);
    if (d != null) {
      return Verdict.fail(NAME, "host-only:" + d[0], d[1]);
    }
    List<NDArray> part = run.record("graph-partitioned", GraphEngine.run(run.builtPartitioned(), run.testCase().inputs(), warnings));
    d = hasUint8Kmodel(run.builtPartitioned()) ? uint8Compare(ref, part)
        : policy.compare("interpreter", ref, "partitioned build", part);
    if (d != null) {
      return Verdict.fail(NAME, "partitioned:" + d[0], d[1]);
    }
    return Verdict.pass();
  }

  /**
   * The host-only build's policy: exact when this oracle runs at the default float-tight policy,
   * because every host kernel gives the reference interpreter's bits (the fast convolution and
   * dense sum in its order, batch norm is its float multiply and add, data movement copies), so
   * any difference at all is a kernel bug; a policy given explicitly applies as it is.
   */
  private TolerancePolicy hostPolicy() {
    return policy == TolerancePolicy.FLOAT_TIGHT ? TolerancePolicy.EXACT : policy;
  }

  /** Whether a build runs some region as a uint8 kmodel. */
  static boolean hasUint8Kmodel(dev.kbyoc.build.BuildResult b) {
    for (dev.kbyoc.runtime.RuntimeModule m : b.modules()) {
      if (m instanceof KendryteModule k && k.function().quantizeMode() == QuantizeMode.UINT8) {
        return true;
      }
    }
    return false;
  }

  /** Each output under the end-to-end uint8 policy of its reference range. */
  static String[] uint8Compare(List<NDArray> ref, List<NDArray> part) {
    if (ref.size() != part.size()) {
      return TolerancePolicy.FLOAT_TIGHT.compare("interpreter", ref, "partitioned build", part);
    }
    for (int o = 0; o < ref.size(); o++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < ref.get(o).size(); i++) {
        lo = Math.min(lo, ref.get(o).getDouble(i));
        hi = Math.max(hi, ref.get(o).getDouble(i));
      }
      String[] d = TolerancePolicy.uint8EndToEnd(hi > lo ? hi - lo : Math.abs(hi)).compare("interpreter",
          List.of(ref.get(o)), "partitioned build", List.of(part.get(o)));
      if (d != null) {
        return new String[] {d[0], "output " + o + ": " + d[1]};
      }
    }
    return null;
  }
}
