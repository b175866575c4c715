package dev.kbyoc.verify;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.kendryte.codegen.KmodelFunction;
import dev.kbyoc.kendryte.codegen.QuantizeMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The kmodels of a case: each {@code kendryte} function of the partitioned module compiled by the
 * Kendryte codegen, with a seeded test input in [-1, 1). Functions the codegen rejects are left
 * out here (with the reason, for {@code kbyoc check}'s skip message); whether a build can compile
 * what the partition offloads is the numeric oracle's business (the build fails loudly there).
 */
final class KendryteModels {
  static final String COMPILER = "kendryte";

  /** One compiled function with its test input. */
  record Compiled(String symbol, Function function, KmodelFunction kmodel, NDArray input) {}

  /** The compiled functions, and the reason of each function left out, by name. */
  private record All(List<Compiled> compiled, Map<String, String> leftOut) {}

  private KendryteModels() {}

  static List<Compiled> of(CaseRun run) {
    return all(run).compiled();
  }

  /** Why each {@code kendryte} function has no kmodel here, by function name. */
  static Map<String, String> leftOut(CaseRun run) {
    return all(run).leftOut();
  }

  private static All all(CaseRun run) {
    return run.memo("kmodels", () -> compile(run));
  }

  private static All compile(CaseRun run) {
    List<Compiled> out = new ArrayList<>();
    Map<String, String> leftOut = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Function> e : run.partitioned().functions().entrySet()) {
      Function f = e.getValue();
      if (!COMPILER.equals(f.compiler())) {
        continue;
      }
      if (f.params().size() != 1 || !(f.params().get(0).checkedType() instanceof TensorType t)) {
        leftOut.put(e.getKey(), "takes " + f.params().size() + " parameters, a kmodel one tensor");
        continue;
      }
      KmodelFunction k;
      try {
        k = KmodelFunction.compile(f, e.getKey(), List.of(), QuantizeMode.UINT8);
      } catch (KbyocException rejected) {
        leftOut.put(e.getKey(), rejected.getMessage());
        continue;
      }
      SplittableRandom rnd = Seeds.rng(run.testCase().seed() ^ e.getKey().hashCode());
      NDArray x = NDArray.zeros(DType.FLOAT32, t.shape());
      for (int i = 0; i < x.size(); i++) {
        x.setDouble(i, rnd.nextDouble() * 2 - 1);
      }
      out.add(new Compiled(e.getKey(), f, k, x));
    }
    return new All(out, leftOut);
  }
}
