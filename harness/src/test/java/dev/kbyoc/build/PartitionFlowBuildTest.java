package dev.kbyoc.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.GraphRuntime;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.testing.TestCodegens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The real partition passes feeding the build: the CNN split into accelerator regions (the op-list
 * target of the embedding test codegen, {@link TestCodegens}) and host, and the same CNN with the
 * real {@code kendryte} target in float mode.
 */
class PartitionFlowBuildTest {

  @Test
  void partitionedCnnBuildsAndMatchesTheOriginalModule() {
    IRModule original = SampleModels.cnnUnpartitioned(42);
    IRModule part = PartitionFlow.run(original, Map.of(), TestCodegens.target());
    List<String> external = new ArrayList<>();
    part.functions().forEach((n, f) -> {
      if (f.compiler() != null) {
        external.add(n + ":" + f.compiler() + ":" + f.attrs().get(Function.ATTR_GLOBAL_SYMBOL));
      }
    });
    assertEquals(2, external.size(), external.toString());
    assertTrue(external.stream().allMatch(s -> s.matches("hostembed_\\d+:hostembed:hostembed_\\d+")), external.toString());
    NDArray x = SampleModels.random(new Random(6), 1, 3, 16, 16);
    NDArray want = new Interpreter(original).runFlat(Map.of("data", x)).get(0);
    for (boolean force : List.of(false, true)) {
      BuildResult r = RelayBuild.build(part, Map.of(), BuildOptions.DEFAULT.withForceDefaultUpdater(force));
      List<String> warnings = new ArrayList<>();
      GraphRuntime rt = new GraphRuntime(r.graph(), r.modules(), warnings::add);
      rt.loadParams(r.params());
      rt.setInput("data", x);
      rt.run();
      assertTrue(SeedScenario.maxRelErr(rt.getOutput(0), want) <= 1e-5);
      // Registered: only the host scale; default: the 8 region constants too, each warned about.
      assertEquals(force ? 9 : 1, r.params().size(), r.params().keySet().toString());
      assertEquals(force ? 8 : 0, warnings.size());
    }
  }

  @Test
  void hostPartOfThePartitionedCnnIsTheScale() {
    IRModule part = PartitionFlow.run(SampleModels.cnnUnpartitioned(1), Map.of(), TestCodegens.target());
    BuildResult r = RelayBuild.build(part, Map.of(), BuildOptions.DEFAULT);
    List<String> ops = r.graph().nodes().stream().filter(n -> !n.isInput()).map(n -> n.attrs().get("func_name")).toList();
    assertEquals(3, ops.size(), ops.toString());
    assertEquals("fused_multiply", ops.get(1));
    assertEquals(List.of("p0"), List.copyOf(r.params().keySet()));
  }

  @Test
  void weightsGivenAsParamsAreBoundIntoTheRegions() {
    dev.kbyoc.ir.Var data = new dev.kbyoc.ir.Var("data", dev.kbyoc.ir.TensorType.f32(1, 2, 6, 6));
    dev.kbyoc.ir.Var w = new dev.kbyoc.ir.Var("w", dev.kbyoc.ir.TensorType.f32(4, 2, 3, 3));
    IRModule m = IRModule.fromMain(new Function(List.of(data, w), dev.kbyoc.ir.Call.op("nn.relu",
        dev.kbyoc.ir.Call.op("nn.conv2d", data, w))));
    NDArray wv = SampleModels.random(new Random(2), 4, 2, 3, 3);
    IRModule part = PartitionFlow.run(m, Map.of("w", wv), TestCodegens.target());
    assertEquals(List.of("data"), part.main().params().stream().map(dev.kbyoc.ir.Var::name).toList());
    BuildResult reg = RelayBuild.build(part, Map.of(), BuildOptions.DEFAULT);
    assertEquals(Map.of(), reg.params());
    BuildResult def = RelayBuild.build(part, Map.of(), BuildOptions.DEFAULT.withForceDefaultUpdater(true));
    assertEquals(1, def.params().size());
    assertEquals(wv, def.params().values().iterator().next());
    assertTrue(def.params().keySet().iterator().next().matches("hostembed_\\d+_const_0"));
  }

  @Test
  void realKendryteTargetOffloadsTheDenseTailAndMatchesInFloatMode() {
    IRModule original = SampleModels.cnnUnpartitioned(42);
    IRModule part = PartitionFlow.run(original, Map.of(), dev.kbyoc.op.Targets.get("kendryte"));
    List<String> external = part.functions().entrySet().stream().filter(e -> e.getValue().compiler() != null)
        .map(e -> e.getKey() + ":" + e.getValue().compiler()).toList();
    // conv-bias-relu x2 + max pool; the per-channel multiply is not a KPU op; conv-bias-relu, global
    // pool, dense (FULLY_CONNECTED).
    assertEquals(List.of("kendryte_0:kendryte", "kendryte_5:kendryte"), external);
    NDArray x = SampleModels.random(new Random(6), 1, 3, 16, 16);
    NDArray want = new Interpreter(original).runFlat(Map.of("data", x)).get(0);
    for (boolean force : List.of(false, true)) {
      BuildResult r = RelayBuild.build(part, Map.of(), BuildOptions.DEFAULT.withForceDefaultUpdater(force));
      List<String> warnings = new ArrayList<>();
      GraphRuntime rt = new GraphRuntime(r.graph(), r.modules(), warnings::add);
      rt.loadParams(r.params());
      rt.setInput("data", x);
      rt.run();
      assertNull(dev.kbyoc.verify.TolerancePolicy.FLOAT_TIGHT.compare("interpreter", List.of(want), "graph",
          List.of(rt.getOutput(0))));
      // Host: the scale; default: the 3 conv weights, 3 biases, dense weight and bias too.
      assertEquals(force ? 9 : 1, r.params().size(), r.params().keySet().toString());
      assertEquals(force ? 8 : 0, warnings.size());
    }
  }
}
