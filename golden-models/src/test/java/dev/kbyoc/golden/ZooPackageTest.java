package dev.kbyoc.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.DefaultConstantUpdater;
import dev.kbyoc.build.PartitionFlow;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.build.SeedScenario;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.onnx.OnnxImporter;
import dev.kbyoc.onnx.OnnxModel;
import dev.kbyoc.op.Targets;
import dev.kbyoc.runtime.GraphRuntime;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.runtime.LoadedPackage;
import dev.kbyoc.runtime.PackageReader;
import dev.kbyoc.runtime.PackageWriter;
import dev.kbyoc.runtime.ParamsFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every zoo model through the whole flow: partitioned for {@code kendryte} (weights bound), built,
 * exported, loaded back and run on the graph runtime, against the reference interpreter on the
 * imported module (max relative error 1e-5); and with the default updater forced, one
 * {@code cannot find} warning per Kendryte constant and the same outputs.
 */
class ZooPackageTest {
  static final double MAX_REL_ERR = 1e-5;

  @TestFactory
  Stream<DynamicTest> everyZooModelRunsFromItsPackage() {
    return ModelZoo.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> check(m)));
  }

  static void check(GoldenModel g) {
    OnnxModel model = OnnxImporter.fromBytes(g.model().toByteArray(), g.name() + ".onnx", OnnxImporter.Options.DEFAULT);
    NDArray x = NDArray.of(g.inputData(), g.inputShape());
    Map<String, NDArray> feed = new HashMap<>(model.params());
    feed.put(g.input(), x);
    List<NDArray> want = new Interpreter(model.module()).runFlat(feed);
    IRModule part = PartitionFlow.run(model.module(), model.params(), Targets.get("kendryte"));
    int kendryteConstants = 0;
    for (Function f : part.functions().values()) {
      if (f.compiler() != null) {
        kendryteConstants += DefaultConstantUpdater.constants(f).size();
      }
    }
    List<NDArray> registered = null;
    for (boolean force : List.of(false, true)) {
      BuildResult r = RelayBuild.build(part, Map.of(), BuildOptions.DEFAULT.withForceDefaultUpdater(force));
      byte[] archive = PackageWriter.toBytes(r.graphJson(), ParamsFormat.encode(r.params()), r.modules());
      LoadedPackage p = PackageReader.read(archive, g.name() + ".kbyoc");
      List<String> warnings = new ArrayList<>();
      GraphRuntime rt = new GraphRuntime(p.graph(), p.modules(), warnings::add);
      rt.loadParams(p.params());
      rt.setInput(g.input(), x);
      rt.run();
      List<NDArray> got = new ArrayList<>();
      for (int i = 0; i < rt.numOutputs(); i++) {
        got.add(rt.getOutput(i));
      }
      assertEquals(want.size(), got.size(), g.name());
      for (int i = 0; i < got.size(); i++) {
        double err = SeedScenario.maxRelErr(got.get(i), want.get(i));
        assertTrue(err <= MAX_REL_ERR, g.name() + " output " + i + " max rel err " + err);
      }
      assertEquals(force ? kendryteConstants : 0, warnings.size(), g.name() + " force=" + force);
      if (force) {
        assertEquals(registered, got, g.name() + ": both updaters give identical outputs");
      } else {
        registered = got;
      }
    }
  }
}
