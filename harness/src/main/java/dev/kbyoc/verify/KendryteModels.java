package dev.kbyoc.verify;

import dev.kbyoc.kendryte.codegen.QuantizeMode;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.kendryte.codegen.KmodelFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The kmodels of a case: each {@code kendryte} function of the partitioned module compiled by the
 * Kendryte codegen, with a seeded test input in [-1, 1). Functions the codegen rejects are left
 * out here; whether a build can compile what the partition offloads is the numeric oracle's
 * business (the build fails loudly there).
 */
final class KendryteModels {
  static final String COMPILER = "kendryte";

  /** One compiled function with its test input. */
  record Compiled(String symbol, Function function, KmodelFunction kmodel, NDArray input) {}

  private KendryteModels() {}

  static List<Compiled> of(CaseRun run) {
    return run.memo("kmodels", () -> compile(run));
  }

  private static List<Compiled> compile(CaseRun run) {
    List<Compiled> out = new ArrayList<>();
    for (Map.Entry<String, Function> e : run.partitioned().functions().entrySet()) {
      Function f = e.getValue();
      if (!COMPILER.equals(f.compiler()) || f.params().size() != 1 || !(f.params().get(0).checkedType() instanceof TensorType t)) {
        continue;
      }
      KmodelFunction k;
      try {
        k = KmodelFunction.compile(f, e.getKey(), List.of(), QuantizeMode.UINT8);
      } catch (KbyocException rejected) {
        continue;
      }
      SplittableRandom rnd = Seeds.rng(run.testCase().seed() ^ e.getKey().hashCode());
      NDArray x = NDArray.zeros(DType.FLOAT32, t.shape());
      for (int i = 0; i < x.size(); i++) {
        x.setDouble(i, rnd.nextDouble() * 2 - 1);
      }
      out.add(new Compiled(e.getKey(), f, k, x));
    }
    return out;
  }
}
