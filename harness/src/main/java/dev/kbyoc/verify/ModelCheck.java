package dev.kbyoc.verify;

import dev.kbyoc.build.CodegenRegistry;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.KbyocException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every oracle on one case, each with its own result and time ({@code kbyoc check}), instead of
 * the fuzzer's first failure. An oracle is skipped, with the reason, when the case gives it
 * nothing to check: the kmodel oracles when no {@code kendryte} region compiles to a kmodel, and
 * the oracles that build the partitioned module when a region's compiler has no registered codegen
 * (an ad-hoc {@code --supported-ops} target). A stage that throws while deciding this does not
 * skip: the oracle then runs and reports the crash.
 */
public final class ModelCheck {
  /** The outcome of one oracle. */
  public enum Status { PASS, FAIL, SKIP }

  /**
   * One oracle's row.
   *
   * @param oracle the oracle's name
   * @param status pass, fail or skip
   * @param nanos wall time, including the pipeline stages this oracle was the first to need
   * @param verdict the failure (pass for PASS and SKIP)
   * @param reason why the oracle was skipped (null otherwise)
   */
  public record Row(String oracle, Status status, long nanos, Verdict verdict, String reason) {
    /** The failure as {@code kind: message}, the skip reason, or empty. */
    public String message() {
      return status == Status.FAIL ? verdict.kind() + ": " + verdict.message() : status == Status.SKIP ? reason : "";
    }
  }

  private static final Set<String> BUILDS = Set.of(NumericEquivalence.NAME, NoDuplicateConstants.NAME, PackageRoundTrip.NAME);
  private static final Set<String> KMODELS = Set.of(QuantizedRounding.NAME, KmodelRoundTrip.NAME);

  private ModelCheck() {}

  /** Runs {@code oracles} in order on {@code run} (sharing its pipeline stages). */
  public static List<Row> run(CaseRun run, List<Oracle> oracles) {
    List<Row> rows = new ArrayList<>();
    for (Oracle o : oracles) {
      long t0 = System.nanoTime();
      String skip = skipReason(o.name(), run);
      Verdict v = skip == null ? Oracles.run(o, run) : Verdict.pass();
      long nanos = System.nanoTime() - t0;
      Status s = skip != null ? Status.SKIP : v.failed() ? Status.FAIL : Status.PASS;
      rows.add(new Row(o.name(), s, nanos, v, skip));
    }
    return rows;
  }

  /**
   * The first failure of {@code oracles} in order on {@code run}, leaving out the ones this class
   * skips, or pass. Replaying a bundle uses this, so a bundle written by {@code kbyoc check} for
   * an ad-hoc target replays under the same rules.
   */
  public static Verdict firstFailure(CaseRun run, List<Oracle> oracles) {
    for (Oracle o : oracles) {
      if (skipReason(o.name(), run) == null) {
        Verdict v = Oracles.run(o, run);
        if (v.failed()) {
          return v;
        }
      }
    }
    return Verdict.pass();
  }

  /** Why {@code oracle} has nothing to check on this case, or null. */
  static String skipReason(String oracle, CaseRun run) {
    try {
      if (KMODELS.contains(oracle) && KendryteModels.of(run).isEmpty()) {
        Map<String, String> why = KendryteModels.leftOut(run);
        if (why.isEmpty()) {
          return "no " + KendryteModels.COMPILER + " region";
        }
        Map.Entry<String, String> first = why.entrySet().iterator().next();
        return "no " + KendryteModels.COMPILER + " region compiles to a kmodel (" + first.getKey() + ": " + first.getValue()
            + (why.size() > 1 ? "; " + (why.size() - 1) + " more" : "") + ")";
      }
      if (BUILDS.contains(oracle)) {
        for (Function f : run.partitioned().functions().values()) {
          String missing = missingCodegen(f.compiler());
          if (missing != null) {
            return missing;
          }
        }
      }
      return null;
    } catch (RuntimeException | StackOverflowError e) {
      return null;
    }
  }

  private static String missingCodegen(String compiler) {
    if (compiler == null) {
      return null;
    }
    try {
      CodegenRegistry.codegen(compiler);
      return null;
    } catch (KbyocException e) {
      return "no codegen for target " + compiler + " (" + CodegenRegistry.codegenKey(compiler) + " is not registered)";
    }
  }
}
