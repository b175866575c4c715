package dev.kbyoc.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.PartitionFlow;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.backend.KendryteModule;
import dev.kbyoc.kendryte.sim.SimMode;
import dev.kbyoc.onnx.OnnxImporter;
import dev.kbyoc.onnx.OnnxModel;
import dev.kbyoc.op.Targets;
import dev.kbyoc.pass.BindParams;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.GraphRuntime;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.runtime.RuntimeModule;
import dev.kbyoc.verify.TolerancePolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 6, "Done when" 2 (float mode): every golden model built with the real {@code kendryte}
 * target in the default float mode (kbyoc's float kmodels on the simulator, host ops on the graph
 * runtime) equals both the host-only build and the reference interpreter within
 * {@link TolerancePolicy#FLOAT_TIGHT}. Every model builds: layers whose maps exceed the 2 MiB KPU
 * RAM ({@code oversize}'s first conv, relu and pool) stay on the host by the rules.
 */
class FloatModeZooTest {
  private static final Set<String> WITH_KMODELS = ConcurrentHashMap.newKeySet();

  @TestFactory
  Stream<DynamicTest> floatKmodelsEqualTheHost() {
    return ModelZoo.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> check(m)));
  }

  @AfterAll
  static void theConvModelsDidOffload() {
    assertTrue(WITH_KMODELS.containsAll(List.of("lenet", "mobilenet", "oversize")), "models with kmodels: "
        + WITH_KMODELS);
  }

  private static List<NDArray> run(BuildResult r, String input, NDArray x) {
    GraphRuntime rt = new GraphRuntime(r.graph(), r.modules(), w -> {
      throw new AssertionError("runtime warning: " + w);
    });
    rt.loadParams(r.params());
    rt.setInput(input, x);
    rt.run();
    List<NDArray> out = new ArrayList<>();
    for (int i = 0; i < rt.numOutputs(); i++) {
      out.add(rt.getOutput(i));
    }
    return out;
  }

  private static void check(GoldenModel m) throws Exception {
    OnnxModel model = OnnxImporter.load(GoldenModelsTest.dir(m).resolve("model.onnx"));
    NDArray x = NpyFiles.read(GoldenModelsTest.dir(m).resolve("input.npy"));
    Map<String, NDArray> feed = new HashMap<>(model.params());
    feed.put(m.input(), x);
    List<NDArray> interp = new Interpreter(model.module()).runFlat(feed);
    IRModule bound = InferType.run(BindParams.run(model.module(), model.params()));
    List<NDArray> host = run(RelayBuild.build(bound, Map.of(), BuildOptions.DEFAULT), m.input(), x);
    IRModule part = PartitionFlow.run(model.module(), model.params(), Targets.get("kendryte"));
    BuildResult r = RelayBuild.build(part, Map.of(), BuildOptions.DEFAULT);
    long kmodels = 0;
    for (RuntimeModule mod : r.modules()) {
      if (mod instanceof KendryteModule k) {
        assertEquals(SimMode.FLOAT, k.function().quantizeMode().simMode());
        kmodels++;
      }
    }
    if (kmodels > 0) {
      WITH_KMODELS.add(m.name());
    }
    List<NDArray> got = run(r, m.input(), x);
    assertNull(TolerancePolicy.FLOAT_TIGHT.compare("host-only build", host, "float kmodels + host", got), m.name());
    assertNull(TolerancePolicy.FLOAT_TIGHT.compare("interpreter", interp, "float kmodels + host", got), m.name());
    System.out.println(m.name() + ": " + kmodels + " float kmodels equal the host build and the interpreter");
  }
}
