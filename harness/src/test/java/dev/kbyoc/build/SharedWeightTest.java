package dev.kbyoc.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.Var;
import dev.kbyoc.op.Targets;
import dev.kbyoc.runtime.ConstantAudit;
import dev.kbyoc.runtime.GraphRuntime;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.runtime.RuntimeModule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One weight used by an offloaded op and by a host op (the fuzzer's reduced case: {@code
 * dense(x, w)} goes into a kmodel, {@code dense(c, w)} on a constant input has no kmodel input
 * and stays on the host). Both copies are needed, since a kmodel cannot hand its weights to the
 * host, so the build must pass the no-duplicate invariant and the audit must list the param as
 * shared; the seed bug's copies (forced default updater) must still count as duplicates.
 */
class SharedWeightTest {
  private static IRModule model(NDArray w, NDArray c) {
    Var x = new Var("x", TensorType.f32(1, 3));
    Constant weight = new Constant(w);
    Call a = Call.op("nn.dense", List.of(x, weight), Attrs.of("units", 15L));
    Call b = Call.op("nn.dense", List.of(new Constant(c), weight), Attrs.of("units", 15L));
    return IRModule.of(Map.of(IRModule.MAIN, new Function(List.of(x), new Tuple(List.of(a, b)))));
  }

  private static ConstantAudit audit(BuildResult r) {
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    Set<String> constVars = new HashSet<>();
    for (RuntimeModule m : r.modules()) {
      blobs.put(String.join(",", m.symbols()), m.serialize());
      constVars.addAll(m.constVars());
    }
    return ConstantAudit.of(r.graph(), r.params(), blobs, constVars, ConstantAudit.externalSymbols(r.modules()));
  }

  @Test
  void weightSharedByHostAndKmodelIsNotADuplicate() {
    Random rnd = new Random(3);
    NDArray w = SampleModels.random(rnd, 15, 3);
    NDArray c = SampleModels.random(rnd, 1, 3);
    IRModule original = model(w, c);
    IRModule part = PartitionFlow.run(original, Map.of(), Targets.get("kendryte"));
    long kendryte = part.functions().values().stream().filter(f -> "kendryte".equals(f.compiler())).count();
    assertEquals(1, kendryte, part.functions().keySet().toString());

    BuildResult r = RelayBuild.build(part, Map.of(), BuildOptions.DEFAULT);
    ConstantAudit a = audit(r);
    assertEquals(List.of(), a.duplicates());
    assertEquals(1, a.shared().size(), a.shared().toString());
    assertEquals(w.byteSize(), a.shared().get(0).bytes());

    NDArray x = SampleModels.random(rnd, 1, 3);
    List<NDArray> want = new Interpreter(original).runFlat(Map.of("x", x));
    List<String> warnings = new ArrayList<>();
    GraphRuntime rt = new GraphRuntime(r.graph(), r.modules(), warnings::add);
    rt.loadParams(r.params());
    rt.setInput("x", x);
    rt.run();
    assertEquals(List.of(), warnings);
    for (int i = 0; i < want.size(); i++) {
      assertTrue(SeedScenario.maxRelErr(rt.getOutput(i), want.get(i)) <= 1e-5, "output " + i);
    }

    BuildResult forced = RelayBuild.build(part, Map.of(), BuildOptions.DEFAULT.withForceDefaultUpdater(true));
    ConstantAudit f = audit(forced);
    assertEquals(1, f.duplicates().size(), f.duplicates().toString());
    assertEquals(w.byteSize(), f.duplicates().get(0).bytes());
    assertTrue(forced.warnings().stream().anyMatch(s -> s.contains("1 constants stored both")), forced.warnings().toString());
  }
}
