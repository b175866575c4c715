package dev.kbyoc.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.GraphRuntime;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.runtime.RuntimeModule;
import dev.kbyoc.testing.TestCodegens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Build + graph runtime against the reference interpreter, and the constant updaters. Hand-made
 * regions on rank-2 tensors use the embedding test codegen ({@link TestCodegens}); the built-in
 * CNN's conv regions use the real Kendryte codegen (float mode).
 */
class BuildRuntimeTest {
  static final int WIDTH = 32;

  static double maxRelErr(NDArray a, NDArray b) {
    assertEquals(a.type(), b.type());
    double worst = 0;
    for (int i = 0; i < a.size(); i++) {
      double d = Math.abs(a.getDouble(i) - b.getDouble(i));
      worst = Math.max(worst, d / Math.max(1e-6, Math.abs(b.getDouble(i))));
    }
    return worst;
  }

  static NDArray runGraph(BuildResult r, NDArray x, List<String> warnings) {
    GraphRuntime rt = new GraphRuntime(r.graph(), r.modules(), warnings::add);
    rt.loadParams(r.params());
    rt.setInput("x", x);
    rt.run();
    return rt.getOutput(0);
  }

  /** Found by the fuzzer: an offloaded concatenate of host values has a tuple-typed region parameter. */
  @Test
  void regionWithTupleParameterBuildsAndRunsLikeTheInterpreter() {
    String text = "#[version = \"0.0.5\"]\n"
        + "def @main(%x: Tensor[(1, 1), float32]) -> Tensor[(1, 2), float32] {\n"
        + "  %0 = (%x, meta[relay.Constant][0]);\n"
        + "  concatenate(%0, axis=1)\n"
        + "}\n";
    IRModule m = dev.kbyoc.ir.text.RelayParser.parse("concat.relay", text,
        List.of(NDArray.of(new float[] {5f}, 1, 1)), dev.kbyoc.pass.InferType::run);
    IRModule p = PartitionFlow.run(m, Map.of(), dev.kbyoc.op.Target.ofOps("json", List.of("concatenate")));
    assertEquals(dev.kbyoc.ir.TupleType.class, p.get("json_0").params().get(0).checkedType().getClass());
    BuildResult r = RelayBuild.build(p, Map.of(), BuildOptions.DEFAULT);
    NDArray got = runGraph(r, NDArray.of(new float[] {-3f}, 1, 1), new ArrayList<>());
    assertEquals(NDArray.of(new float[] {-3f, 5f}, 1, 2), got);
  }

  @Test
  void registeredEmbeddingUpdaterKeepsParamsFreeOfAcceleratorWeights() {
    IRModule m = SampleModels.twoRegions(TestCodegens.EMBEDDING, WIDTH, 3, 7);
    BuildResult r = RelayBuild.build(m, Map.of(), BuildOptions.DEFAULT);
    // Only the two host constants, named as TVM names them.
    assertEquals(List.of("p0", "p1"), List.copyOf(r.params().keySet()));
    assertEquals(List.of(), r.warnings());
    NDArray x = SampleModels.random(new Random(1), 1, WIDTH);
    List<String> warnings = new ArrayList<>();
    NDArray got = runGraph(r, x, warnings);
    NDArray want = new Interpreter(m).runFlat(Map.of("x", x)).get(0);
    assertTrue(maxRelErr(got, want) <= 1e-5, "max rel err " + maxRelErr(got, want));
    assertEquals(List.of(), warnings);
  }

  @Test
  void forcedDefaultUpdaterReproducesTheSeedBugWithOneWarningPerConstant() {
    IRModule m = SampleModels.twoRegions(TestCodegens.EMBEDDING, WIDTH, 3, 7);
    BuildResult r = RelayBuild.build(m, Map.of(), BuildOptions.DEFAULT.withForceDefaultUpdater(true));
    // hostembed_0 has 3 blocks x 2 constants, hostembed_1 has 1; host constants are numbered after them (TVM v0.8).
    List<String> names = List.copyOf(r.params().keySet());
    assertEquals(List.of("hostembed_0_const_0", "hostembed_0_const_1", "hostembed_0_const_2", "hostembed_0_const_3",
        "hostembed_0_const_4", "hostembed_0_const_5", "hostembed_1_const_0", "p7", "p8"), names);
    assertEquals(1, r.warnings().size());
    assertTrue(r.warnings().get(0).startsWith("constant invariant violated: 7 constants stored both in the params and in a module blob"),
        r.warnings().get(0));
    NDArray x = SampleModels.random(new Random(2), 1, WIDTH);
    List<String> warnings = new ArrayList<>();
    NDArray got = runGraph(r, x, warnings);
    assertEquals(7, warnings.size());
    assertEquals("cannot find \"hostembed_0_const_0\" among input", warnings.get(0));
    NDArray want = new Interpreter(m).runFlat(Map.of("x", x)).get(0);
    assertTrue(maxRelErr(got, want) <= 1e-5);
  }

  @Test
  void bypassingARegisteredUpdaterWithoutAskingFailsTheBuildNamingConstants() {
    IRModule m = SampleModels.twoRegions(TestCodegens.EMBEDDING, WIDTH, 1, 3);
    ConstantUpdater saved = CodegenRegistry.registeredUpdater(TestCodegens.EMBEDDING).orElseThrow();
    CodegenRegistry.registerConstantUpdater(TestCodegens.EMBEDDING, DefaultConstantUpdater.INSTANCE);
    try {
      KbyocException e = assertThrows(KbyocException.class, () -> RelayBuild.build(m, Map.of(), BuildOptions.DEFAULT));
      assertTrue(e.getMessage().contains("hostembed_0_const_0, hostembed_0_const_1, hostembed_1_const_0"), e.getMessage());
      assertTrue(e.getMessage().contains("3 params not referenced by the graph"), e.getMessage());
      assertEquals(-1, e.getMessage().indexOf('\n'));
    } finally {
      CodegenRegistry.registerConstantUpdater(TestCodegens.EMBEDDING, saved);
    }
  }

  @Test
  void jsonCodegenReadsItsConstantsFromTheParamsByName() {
    IRModule m = SampleModels.twoRegions("json", WIDTH, 2, 11);
    BuildResult r = RelayBuild.build(m, Map.of(), BuildOptions.DEFAULT);
    assertEquals(List.of("json_0_const_0", "json_0_const_1", "json_0_const_2", "json_0_const_3", "json_1_const_0", "p5", "p6"),
        List.copyOf(r.params().keySet()));
    assertEquals(List.of(), r.warnings());
    RuntimeModule json0 = r.modules().get(1);
    assertEquals(List.of("json_0_const_0", "json_0_const_1", "json_0_const_2", "json_0_const_3"), json0.constVars());
    NDArray x = SampleModels.random(new Random(3), 1, WIDTH);
    List<String> warnings = new ArrayList<>();
    NDArray got = runGraph(r, x, warnings);
    assertEquals(List.of(), warnings);
    NDArray want = new Interpreter(m).runFlat(Map.of("x", x)).get(0);
    assertTrue(maxRelErr(got, want) <= 1e-5);
    // The module blob holds no constant bytes: its size does not grow with the weights.
    assertTrue(json0.serialize().length < 1000, "json blob " + json0.serialize().length);
  }

  @Test
  void jsonModuleWithoutItsParamsFailsWithOneLine() {
    BuildResult r = RelayBuild.build(SampleModels.twoRegions("json", 8, 1, 5), Map.of(), BuildOptions.DEFAULT);
    GraphRuntime rt = new GraphRuntime(r.graph(), r.modules(), w -> { });
    rt.setInput("x", NDArray.zeros(dev.kbyoc.ir.DType.FLOAT32, 1, 8));
    KbyocException e = assertThrows(KbyocException.class, rt::run);
    assertTrue(e.getMessage().contains("load the params"), e.getMessage());
  }

  @Test
  void hostKernelsAreFusedAndNamedLikeTvm() {
    BuildResult r = RelayBuild.build(SampleModels.twoRegions(TestCodegens.EMBEDDING, 8, 1, 5), Map.of(), BuildOptions.DEFAULT);
    List<String> ops = r.graph().nodes().stream().filter(n -> !n.isInput()).map(n -> n.attrs().get("func_name")).toList();
    assertEquals(List.of("fused_add_nn_relu", "hostembed_0", "fused_add", "hostembed_1"), ops);
    assertEquals(List.of("fused_add_nn_relu", "fused_add"), r.modules().get(0).symbols());
  }

  @Test
  void builtInCnnMatchesTheInterpreterForBothCodegensAndBothUpdaters() {
    for (String compiler : List.of("kendryte", "json")) {
      IRModule m = SampleModels.cnn(compiler, 42);
      NDArray x = SampleModels.random(new Random(9), 1, 3, 16, 16);
      NDArray want = new Interpreter(m).runFlat(Map.of("data", x)).get(0);
      for (boolean force : List.of(false, true)) {
        BuildResult r = RelayBuild.build(m, Map.of(), BuildOptions.DEFAULT.withForceDefaultUpdater(force));
        GraphRuntime rt = new GraphRuntime(r.graph(), r.modules(), w -> { });
        rt.loadParams(r.params());
        rt.setInput("data", x);
        rt.run();
        NDArray got = rt.getOutput(0);
        assertTrue(maxRelErr(got, want) <= 1e-5, compiler + " force=" + force + ": " + maxRelErr(got, want));
      }
    }
  }

  @Test
  void cnnHostPartIsFusedAroundTheAnchors() {
    BuildResult r = RelayBuild.build(SampleModels.cnn("kendryte", 1), Map.of(), BuildOptions.DEFAULT);
    List<String> ops = r.graph().nodes().stream().filter(n -> !n.isInput()).map(n -> n.attrs().get("func_name")).toList();
    assertEquals(List.of("kendryte_0", "fused_nn_max_pool2d", "kendryte_1", "fused_nn_global_avg_pool2d",
        "fused_nn_batch_flatten", "fused_nn_dense_nn_bias_add", "fused_nn_softmax"), ops);
  }

  @Test
  void paramsSurviveThePackageByteForByte() {
    BuildResult r = RelayBuild.build(SampleModels.twoRegions("json", 8, 2, 21), Map.of(), BuildOptions.DEFAULT);
    byte[] params = dev.kbyoc.runtime.ParamsFormat.encode(r.params());
    dev.kbyoc.runtime.LoadedPackage p = dev.kbyoc.runtime.PackageReader.read(
        dev.kbyoc.runtime.PackageWriter.toBytes(r.graphJson(), params, r.modules()), "pkg");
    org.junit.jupiter.api.Assertions.assertArrayEquals(params, p.params());
    Map<String, NDArray> back = dev.kbyoc.runtime.ParamsFormat.decode(p.params(), "params.bin");
    assertEquals(List.copyOf(r.params().keySet()), List.copyOf(back.keySet()));
    assertEquals(r.params(), back);
    // The TVM params list header: magic 0xF7E58D4F05049CB7 little-endian, reserved 0, then the count of names.
    assertEquals((byte) 0xB7, params[0]);
    assertEquals((byte) 0xF7, params[7]);
    assertEquals(r.params().size(), params[16]);
  }

  @Test
  void multiOutputRegionBecomesOneNodeWithTwoEntries() {
    dev.kbyoc.ir.TensorType t = dev.kbyoc.ir.TensorType.f32(1, 4);
    dev.kbyoc.ir.Var a = new dev.kbyoc.ir.Var("hostembed_0_i0", t);
    dev.kbyoc.ir.Expr r = dev.kbyoc.ir.Call.op("nn.relu", a);
    dev.kbyoc.ir.Expr s = dev.kbyoc.ir.Call.op("add", a, new dev.kbyoc.ir.Constant(SampleModels.random(new Random(1), 1, 4)));
    dev.kbyoc.ir.Function f = SampleModels.external(TestCodegens.EMBEDDING, "hostembed_0", List.of(a), new dev.kbyoc.ir.Tuple(List.of(r, s)));
    dev.kbyoc.ir.Var x = new dev.kbyoc.ir.Var("x", t);
    dev.kbyoc.ir.Call call = new dev.kbyoc.ir.Call(new dev.kbyoc.ir.GlobalVar("hostembed_0"), List.of(x), dev.kbyoc.ir.Attrs.empty());
    dev.kbyoc.ir.Expr body = dev.kbyoc.ir.Call.op("subtract", new dev.kbyoc.ir.TupleGetItem(call, 1), new dev.kbyoc.ir.TupleGetItem(call, 0));
    IRModule m = IRModule.of(new java.util.LinkedHashMap<>(Map.of(IRModule.MAIN, new dev.kbyoc.ir.Function(List.of(x), body),
        "hostembed_0", f)));
    BuildResult b = RelayBuild.build(m, Map.of(), BuildOptions.DEFAULT);
    var g = b.graph();
    assertEquals("2", g.nodes().get(1).attrs().get("num_outputs"));
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 1, 3, 4}, g.nodeRowPtr());
    assertEquals(List.of(new dev.kbyoc.runtime.GraphJson.EntryRef(1, 1, 0), new dev.kbyoc.runtime.GraphJson.EntryRef(1, 0, 0)),
        g.nodes().get(2).inputs());
    NDArray in = SampleModels.random(new Random(2), 1, 4);
    GraphRuntime rt = new GraphRuntime(g, b.modules(), w -> { });
    rt.loadParams(b.params());
    rt.setInput("x", in);
    rt.run();
    assertEquals(new Interpreter(m).runFlat(Map.of("x", in)).get(0), rt.getOutput(0));
  }
}
