package dev.kbyoc.golden;

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
import dev.kbyoc.onnx.OnnxImporter;
import dev.kbyoc.onnx.OnnxModel;
import dev.kbyoc.runtime.GraphRuntime;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.runtime.LoadedPackage;
import dev.kbyoc.runtime.PackageReader;
import dev.kbyoc.runtime.PackageWriter;
import dev.kbyoc.runtime.ParamsFormat;
import dev.kbyoc.runtime.SubgraphModule;
import dev.kbyoc.verify.TolerancePolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, "Done when" 1, with the real kmodel codegen: the MobileNet-style zoo model partitioned
 * by the Kendryte rule set offloads all 9 convs (stem + 4 depthwise/pointwise pairs, stride-2 ones
 * as conv + left-top downsampling), the package holds only the host dense weight and bias as
 * params (each kmodel weight once, inside its kmodel), runs without a {@code cannot find} warning,
 * and tracks the interpreter with cosine >= 0.99.
 */
class KmodelBuildTest {

  @Test
  void mobilenetOffloadsEveryConvAndHoldsEachWeightOnce() {
    GoldenModel g = ModelZoo.mobilenet();
    OnnxModel model = OnnxImporter.fromBytes(g.model().toByteArray(), "mobilenet.onnx", OnnxImporter.Options.DEFAULT);
    NDArray x = NDArray.of(g.inputData(), g.inputShape());
    Map<String, NDArray> feed = new HashMap<>(model.params());
    feed.put(g.input(), x);
    NDArray want = new Interpreter(model.module()).runFlat(feed).get(0);
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
    assertEquals(9, offloaded);
    CodegenRegistry.registerCodegen("kendryte", KendryteBackend.CODEGEN);
    try {
      BuildResult r = RelayBuild.build(part, Map.of(), BuildOptions.DEFAULT);
      List<String> shapes = r.params().values().stream().map(a -> Arrays.toString(a.shape())).sorted().toList();
      assertEquals(List.of("[10, 128]", "[10]"), shapes);
      byte[] pkg = PackageWriter.toBytes(r.graphJson(), ParamsFormat.encode(r.params()), r.modules());
      LoadedPackage lp = PackageReader.read(pkg, "mobilenet.kbyoc");
      assertTrue(lp.modules().stream().anyMatch(m -> m instanceof KendryteModule));
      List<String> warnings = new ArrayList<>();
      GraphRuntime rt = new GraphRuntime(lp.graph(), lp.modules(), warnings::add);
      rt.loadParams(lp.params());
      rt.setInput(g.input(), x);
      rt.run();
      assertEquals(List.of(), warnings);
      double cos = TolerancePolicy.cosine(want, rt.getOutput(0));
      assertTrue(cos >= 0.99, "cosine " + cos);
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
