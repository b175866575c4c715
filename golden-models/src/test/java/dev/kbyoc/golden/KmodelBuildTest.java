package dev.kbyoc.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.CodegenRegistry;
import dev.kbyoc.build.PartitionFlow;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.build.SubgraphCodegen;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.kendryte.backend.KendryteBackend;
import dev.kbyoc.kendryte.backend.KendryteModule;
import dev.kbyoc.kendryte.format.KmodelReader;
import dev.kbyoc.kendryte.format.KmodelWriter;
import dev.kbyoc.onnx.OnnxImporter;
import dev.kbyoc.onnx.OnnxModel;
import dev.kbyoc.runtime.GraphRuntime;
import dev.kbyoc.runtime.LoadedPackage;
import dev.kbyoc.runtime.PackageReader;
import dev.kbyoc.runtime.PackageWriter;
import dev.kbyoc.runtime.ParamsFormat;
import dev.kbyoc.runtime.SubgraphModule;
import dev.kbyoc.verify.TolerancePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 6, "Done when" 1, with the real kmodel codegen on the zoo's Kendryte-friendly models: the
 * MobileNet-style model (global pool + dense tail), the ResNet-style one (residual adds) and the
 * detection-style one (upsample + concat, two outputs) partitioned by the Kendryte rule set
 * (PartitionFlow with the region check) put every conv in a kmodel, the package holds no params
 * (each weight once, inside its kmodel), runs without a {@code cannot find} warning, tracks the
 * ONNX Runtime goldens with cosine >= 0.99 in uint8 mode, and each kmodel round-trips
 * write -> read -> write byte-identically.
 */
class KmodelBuildTest {

  @ParameterizedTest
  @ValueSource(strings = {"mobilenet", "resnet", "detection"})
  void everyConvInAKmodelEachWeightOnceGoldenCosine(String name) throws Exception {
    GoldenModel g = ModelZoo.all().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    OnnxModel model = OnnxImporter.fromBytes(g.model().toByteArray(), name + ".onnx", OnnxImporter.Options.DEFAULT);
    NDArray x = NpyFiles.read(GoldenModelsTest.dir(g).resolve("input.npy"));
    List<NDArray> gold = GoldenModelsTest.goldens(g);
    int total = convs(model.module().main());
    IRModule part = PartitionFlow.run(model.module(), model.params(), KendryteBackend.target());
    int offloaded = 0;
    for (Function f : part.functions().values()) {
      int convs = convs(f);
      if (f.compiler() != null) {
        offloaded += convs;
      } else {
        assertEquals(0, convs, "a conv stayed on the host");
      }
    }
    assertEquals(total, offloaded);
    CodegenRegistry.registerCodegen("kendryte", KendryteBackend.CODEGEN);
    try {
      BuildResult r = RelayBuild.build(part, Map.of(), BuildOptions.DEFAULT);
      assertEquals(Map.of(), r.params(), "every constant is inside a kmodel");
      byte[] pkg = PackageWriter.toBytes(r.graphJson(), ParamsFormat.encode(r.params()), r.modules());
      LoadedPackage lp = PackageReader.read(pkg, name + ".kbyoc");
      int kmodels = 0;
      for (var m : lp.modules()) {
        if (m instanceof KendryteModule k) {
          kmodels++;
          byte[] bytes = k.function().bytes();
          assertArrayEquals(bytes, KmodelWriter.write(KmodelReader.read(name, bytes)), "kmodel round trip");
        }
      }
      assertTrue(kmodels > 0);
      List<String> warnings = new ArrayList<>();
      GraphRuntime rt = new GraphRuntime(lp.graph(), lp.modules(), warnings::add);
      rt.loadParams(lp.params());
      rt.setInput(g.input(), x);
      rt.run();
      assertEquals(List.of(), warnings);
      assertEquals(gold.size(), lp.graph().heads().size());
      for (int i = 0; i < gold.size(); i++) {
        double cos = TolerancePolicy.cosine(gold.get(i), rt.getOutput(i));
        System.out.println(name + " output " + i + " uint8 kmodel vs ONNX Runtime: cosine " + cos);
        assertTrue(cos >= 0.99, name + " output " + i + ": cosine " + cos);
      }
    } finally {
      CodegenRegistry.registerCodegen("kendryte", new SubgraphCodegen(SubgraphModule.KENDRYTE, true));
    }
  }

  private static int convs(Function f) {
    int n = 0;
    for (Expr e : PostOrder.of(f.body())) {
      if (e instanceof Call c && c.isOp("nn.conv2d")) {
        n++;
      }
    }
    return n;
  }
}
