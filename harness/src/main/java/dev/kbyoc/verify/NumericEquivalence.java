package dev.kbyoc.verify;

import dev.kbyoc.ir.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Oracle 3: what users run agrees with the reference. The partitioned build (graph runtime, host
 * kernels and each external module, e.g. the Kendryte simulator) and the host-only build (same
 * model, nothing offloaded) are each compared with the reference interpreter under the
 * {@link TolerancePolicy#FLOAT_TIGHT} policy (kernels may sum in another order). Kinds name the
 * engine: {@code partitioned:out-of-tolerance}, {@code host-only:output-count}, ...
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
    String[] d = policy.compare("interpreter", ref, "host-only build", host);
    if (d != null) {
      return Verdict.fail(NAME, "host-only:" + d[0], d[1]);
    }
    List<NDArray> part = run.record("graph-partitioned", GraphEngine.run(run.builtPartitioned(), run.testCase().inputs(), warnings));
    d = policy.compare("interpreter", ref, "partitioned build", part);
    if (d != null) {
      return Verdict.fail(NAME, "partitioned:" + d[0], d[1]);
    }
    return Verdict.pass();
  }
}
