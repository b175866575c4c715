package dev.kbyoc.kendryte.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.CodegenRegistry;
import dev.kbyoc.build.PartitionFlow;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.build.SampleModels;
import dev.kbyoc.build.SubgraphCodegen;
import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.GraphRuntime;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.runtime.LoadedPackage;
import dev.kbyoc.runtime.ModuleLoaders;
import dev.kbyoc.runtime.PackageReader;
import dev.kbyoc.runtime.PackageWriter;
import dev.kbyoc.runtime.ParamsFormat;
import dev.kbyoc.runtime.RuntimeModule;
import dev.kbyoc.runtime.SubgraphModule;
import dev.kbyoc.verify.TolerancePolicy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kmodel codegen wired into the build: the module blob layout, the loader, the region check
 * (the codegen's own matcher) and the built-in CNN built with real kmodels end to end, in both
 * quantize modes.
 */
class KendryteBackendTest {

  private static Function convChain() {
    Random rnd = new Random(3);
    Var x = new Var("x", TensorType.f32(1, 3, 8, 8));
    Expr e = Call.op("nn.conv2d", List.of(x, new Constant(SampleModels.random(rnd, 4, 3, 3, 3))),
        Attrs.of("padding", List.of(1L, 1L)));
    e = Call.op("nn.relu", e);
    return InferType.run(IRModule.fromMain(new Function(List.of(x), e))).main();
  }

  @Test
  void blobIsSymbolThenTheUnchangedKmodelAndLoadsBack() {
    KendryteModule m = KendryteBackend.compile(convChain(), "kendryte_3", BuildOptions.DEFAULT.withQuantize(BuildOptions.UINT8));
    byte[] kmodel = m.function().bytes();
    byte[] blob = m.serialize();
    ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals("KBKM", new String(blob, 0, 4, StandardCharsets.US_ASCII));
    assertEquals(1, b.getInt(4));
    assertEquals(10, b.getInt(8));
    assertEquals("kendryte_3", new String(blob, 12, 10, StandardCharsets.UTF_8));
    assertEquals(kmodel.length, b.getInt(22));
    assertArrayEquals(kmodel, Arrays.copyOfRange(blob, 26, blob.length));
    assertEquals(3, ByteBuffer.wrap(kmodel).order(ByteOrder.LITTLE_ENDIAN).getInt(0), "kmodel v3 version field");
    RuntimeModule back = ModuleLoaders.load("kendryte", blob, "test blob");
    assertInstanceOf(KendryteModule.class, back);
    assertEquals(List.of("kendryte_3"), back.symbols());
    assertArrayEquals(blob, back.serialize());
    NDArray x = SampleModels.random(new Random(9), 1, 3, 8, 8);
    assertNull(TolerancePolicy.EXACT.compare("loaded", back.run("kendryte_3", List.of(x)), "compiled",
        m.run("kendryte_3", List.of(x))));
  }

  @Test
  void loaderStillReadsPlaceholderBlobs() {
    Function fn = convChain();
    RuntimeModule p = new SubgraphCodegen(SubgraphModule.KENDRYTE, true).compile(fn, "kendryte_0");
    RuntimeModule back = ModuleLoaders.load("kendryte", p.serialize(), "placeholder blob");
    assertInstanceOf(SubgraphModule.class, back);
  }

  @Test
  void regionCheckIsTheCodegenMatcher() {
    assertNull(KendryteBackend.target().checkRegion(convChain()));
    Var a = new Var("a", TensorType.f32(1, 4, 8, 8));
    Var b = new Var("b", TensorType.f32(1, 4, 8, 8));
    Function two = InferType.run(IRModule.fromMain(new Function(List.of(a, b), Call.op("add", a, b)))).main();
    String why = KendryteBackend.target().checkRegion(two);
    assertNotNull(why);
    assertTrue(why.contains("2 inputs"), why);
  }

  @Test
  void builtInCnnBuildsWithRealKmodelsEachWeightOnce() {
    IRModule original = SampleModels.cnnUnpartitioned(42);
    IRModule part = PartitionFlow.run(original, Map.of(), KendryteBackend.target());
    List<String> external = new ArrayList<>();
    part.functions().forEach((n, f) -> {
      if (f.compiler() != null) {
        external.add(n);
      }
    });
    assertEquals(2, external.size(), external.toString());
    NDArray x = SampleModels.random(new Random(6), 1, 3, 16, 16);
    NDArray want = new Interpreter(original).runFlat(Map.of("data", x)).get(0);
    for (String q : List.of(BuildOptions.UINT8, BuildOptions.FLOAT)) {
      BuildResult r = RelayBuild.build(part, Map.of(), BuildOptions.DEFAULT.withQuantize(q));
      // Only host constants go to the params: the scale [1,48,1,1] of a host multiply; the dense weight
      // and bias are FULLY_CONNECTED layers of the second kmodel.
      List<String> shapes = r.params().values().stream().map(a -> Arrays.toString(a.shape())).toList();
      assertEquals(List.of("[1, 48, 1, 1]"), shapes, r.params().keySet().toString());
      byte[] pkg = PackageWriter.toBytes(r.graphJson(), ParamsFormat.encode(r.params()), r.modules());
      LoadedPackage lp = PackageReader.read(pkg, "cnn.kbyoc");
      assertEquals(2, lp.modules().stream().filter(m -> m instanceof KendryteModule).count());
      List<String> warnings = new ArrayList<>();
      GraphRuntime rt = new GraphRuntime(lp.graph(), lp.modules(), warnings::add);
      rt.loadParams(lp.params());
      rt.setInput("data", x);
      rt.run();
      assertEquals(List.of(), warnings);
      NDArray got = rt.getOutput(0);
      long kmodelBytes = 0;
      for (RuntimeModule m : r.modules()) {
        if (m instanceof KendryteModule k) {
          kmodelBytes += k.function().bytes().length;
        }
      }
      // 112768 bytes of float32 conv weights and biases in the regions, each held once.
      if (q.equals(BuildOptions.UINT8)) {
        double cos = TolerancePolicy.cosine(want, got);
        assertTrue(cos >= 0.99, "cosine " + cos);
        assertTrue(kmodelBytes < 112_768 / 2, "uint8 kmodel bytes " + kmodelBytes);
      } else {
        assertNull(TolerancePolicy.FLOAT_TIGHT.compare("interpreter", List.of(want), "float kmodels", List.of(got)));
        assertTrue(kmodelBytes > 112_768 && kmodelBytes < 112_768 + 8192, "float kmodel bytes " + kmodelBytes);
      }
    }
  }
}
