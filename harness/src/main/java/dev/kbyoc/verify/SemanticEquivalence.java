package dev.kbyoc.verify;

import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.Interpreter;
import java.util.List;

/**
 * Oracle 2: the partitioned module evaluates, in the reference interpreter, to exactly the same
 * bits as the original module (weights passed as arguments). Partitioning moves ops between
 * functions but never changes arithmetic, so any difference is a partitioning bug (a dropped or
 * swapped output, a wrong parameter order, a lost constant).
 */
public final class SemanticEquivalence implements Oracle {
  public static final String NAME = "semantic-equivalence";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Verdict check(CaseRun run) {
    List<NDArray> before = run.reference();
    List<NDArray> after = run.record("interpreter-partitioned",
        new Interpreter(run.partitioned()).runFlat(run.testCase().inputs()));
    String[] diff = OutputCompare.bitwise("original", before, "partitioned", after);
    return diff == null ? Verdict.pass() : Verdict.fail(NAME, diff[0], diff[1]);
  }
}
