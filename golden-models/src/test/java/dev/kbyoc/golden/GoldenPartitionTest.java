package dev.kbyoc.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.onnx.OnnxImporter;
import dev.kbyoc.onnx.OnnxModel;
import dev.kbyoc.op.Targets;
import dev.kbyoc.pass.AnnotateTarget;
import dev.kbyoc.pass.BindParams;
import dev.kbyoc.pass.MergeCompilerRegions;
import dev.kbyoc.pass.PartitionGraph;
import dev.kbyoc.runtime.Interpreter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The seed flow on every golden model: import, {@code bind_params_by_name}, annotate for
 * {@code kendryte}, merge, partition. The partitioned module must still match the ONNX Runtime
 * goldens in the interpreter, keep every original op exactly once (host or accelerator), and
 * offload something (the hostops model into several regions).
 */
class GoldenPartitionTest {
  @TestFactory
  Stream<DynamicTest> partitionedGoldenModels() {
    return ModelZoo.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> check(m)));
  }

  /** Op name -> number of calls, over every function of the module (annotations excluded). */
  static Map<String, Integer> opCounts(IRModule module) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Function f : module.functions().values()) {
      for (Expr e : PostOrder.of(f.body())) {
        if (e instanceof Call c && c.opOrNull() != null && !c.opOrNull().name().startsWith("annotation.")) {
          counts.merge(c.opOrNull().name(), 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  private static void check(GoldenModel m) throws Exception {
    OnnxModel model = OnnxImporter.load(GoldenModelsTest.dir(m).resolve("model.onnx"));
    IRModule bound = BindParams.run(model.module(), model.params());
    assertEquals(List.of(m.input()), bound.main().params().stream().map(p -> p.name()).toList(),
        "bind_params_by_name binds every initializer by its ONNX name");
    Map<String, Integer> before = opCounts(bound);
    IRModule parted = PartitionGraph.run(MergeCompilerRegions.run(
        AnnotateTarget.run(bound, List.of(Targets.get("kendryte")))));
    assertEquals(before, opCounts(parted), m.name() + ": every op appears exactly once after partitioning");
    long regions = parted.functions().values().stream().filter(f -> "kendryte".equals(f.compiler())).count();
    assertTrue(regions >= (m.name().equals("hostops") ? 2 : 1), m.name() + ": " + regions + " kendryte regions");
    List<NDArray> out = new Interpreter(parted).runFlat(Map.of(m.input(), NpyFiles.read(GoldenModelsTest.dir(m).resolve("input.npy"))));
    List<NDArray> gold = GoldenModelsTest.goldens(m);
    assertEquals(gold.size(), out.size());
    for (int i = 0; i < out.size(); i++) {
      GoldenModelsTest.assertClose(m.name() + " partitioned output " + i, out.get(i), gold.get(i));
    }
  }
}
