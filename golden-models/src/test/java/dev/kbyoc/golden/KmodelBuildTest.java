package dev.kbyoc.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.PartitionFlow;
import dev.kbyoc.build.RelayBuild;
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
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.runtime.LoadedPackage;
import dev.kbyoc.runtime.PackageReader;
import dev.kbyoc.runtime.PackageWriter;
import dev.kbyoc.runtime.ParamsFormat;
import dev.kbyoc.testing.CliRun;
import dev.kbyoc.verify.TolerancePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 6, "Done when" 1, with the real kmodel codegen: the MobileNet-style zoo model partitioned
 * by the Kendryte rule set offloads all 9 convs (stem + 4 depthwise/pointwise pairs, stride-2 ones
 * as conv + left-top downsampling) and its global pool + dense tail, the package holds no params
 * (each weight once, inside its kmodel), runs without a {@code cannot find} warning,
 * equals the interpreter to float-tight in float mode and has cosine >= 0.99 against float in uint8
 * mode; through the API and through {@code kbyoc build/run/inspect}, with and without
 * {@code --calibrate}.
 */
class KmodelBuildTest {
  @TempDir Path tmp;

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
    Map<String, NDArray> outs = new HashMap<>();
    for (String q : List.of(BuildOptions.FLOAT, BuildOptions.UINT8)) {
      BuildResult r = RelayBuild.build(part, Map.of(), BuildOptions.DEFAULT.withQuantize(q));
      assertEquals(List.of(), r.warnings(), q + ": the constant invariant holds");
      List<String> shapes = r.params().values().stream().map(a -> Arrays.toString(a.shape())).sorted().toList();
      assertEquals(List.of(), shapes, "the dense tail is a FULLY_CONNECTED layer of the kmodel");
      byte[] pkg = PackageWriter.toBytes(r.graphJson(), ParamsFormat.encode(r.params()), r.modules());
      LoadedPackage lp = PackageReader.read(pkg, "mobilenet.kbyoc");
      assertTrue(lp.modules().stream().anyMatch(m -> m instanceof KendryteModule));
      List<String> warnings = new ArrayList<>();
      GraphRuntime rt = new GraphRuntime(lp.graph(), lp.modules(), warnings::add);
      rt.loadParams(lp.params());
      rt.setInput(g.input(), x);
      rt.run();
      assertEquals(List.of(), warnings);
      outs.put(q, rt.getOutput(0));
    }
    assertNull(TolerancePolicy.FLOAT_TIGHT.compare("interpreter", List.of(want), "float kmodels",
        List.of(outs.get(BuildOptions.FLOAT))));
    double cos = TolerancePolicy.cosine(outs.get(BuildOptions.FLOAT), outs.get(BuildOptions.UINT8));
    System.out.println("mobilenet: uint8 kmodels vs float kmodels, cosine " + cos);
    assertTrue(cos >= 0.99, "uint8 vs float cosine " + cos);
  }

  /**
   * The ResNet-style (residual adds), detection-style (upsample + concat, two outputs) and
   * MobileNet-style (global pool + dense tail) zoo models: every conv in a kmodel, no params (each
   * weight once, inside its kmodel), no warning, each kmodel round-trips write -> read -> write
   * byte-identically; uint8 outputs have cosine >= 0.99 against the ONNX Runtime goldens and the
   * float kmodels match them closely.
   */
  @ParameterizedTest
  @ValueSource(strings = {"mobilenet", "resnet", "detection"})
  void dagModelsEveryConvInAKmodelGoldenCosine(String name) throws Exception {
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
    for (String q : List.of(BuildOptions.UINT8, BuildOptions.FLOAT)) {
      BuildResult r = RelayBuild.build(part, Map.of(), BuildOptions.DEFAULT.withQuantize(q));
      assertEquals(Map.of(), r.params(), q + ": every constant is inside a kmodel");
      byte[] pkg = PackageWriter.toBytes(r.graphJson(), ParamsFormat.encode(r.params()), r.modules());
      LoadedPackage lp = PackageReader.read(pkg, name + ".kbyoc");
      int kmodels = 0;
      for (var m : lp.modules()) {
        if (m instanceof KendryteModule k) {
          kmodels++;
          byte[] bytes = k.function().bytes();
          assertArrayEquals(bytes, KmodelWriter.write(KmodelReader.read(name, bytes)), q + " kmodel round trip");
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
        if (q.equals(BuildOptions.FLOAT)) {
          GoldenModelsTest.assertClose(name + " float kmodel output " + i, rt.getOutput(i), gold.get(i));
          continue;
        }
        double cos = TolerancePolicy.cosine(gold.get(i), rt.getOutput(i));
        System.out.println(name + " output " + i + " uint8 kmodel vs ONNX Runtime: cosine " + cos);
        assertTrue(cos >= 0.99, name + " output " + i + ": cosine " + cos);
      }
    }
  }

  /** The same through the command line: build, run (no warning), inspect (no duplicate), both modes. */
  @Test
  void mobilenetThroughTheCommandLineInBothModesAndWithCalibration() throws Exception {
    GoldenModel g = ModelZoo.mobilenet();
    Path dir = GoldenModelsTest.dir(g);
    String shape = IntStream.of(g.inputShape()).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    Path calib = Files.createDirectories(tmp.resolve("calib"));
    Random rnd = new Random(17);
    for (int k = 0; k < 3; k++) {
      float[] v = new float[g.inputData().length];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (rnd.nextGaussian() * 0.5);
      }
      dev.kbyoc.runtime.Npy.write(calib.resolve(g.input() + "_" + k + ".npy"), NDArray.of(v, g.inputShape()));
    }
    Map<String, NDArray> out = new HashMap<>();
    for (String variant : List.of("float", "uint8", "uint8-calibrated")) {
      Path pkg = tmp.resolve(variant + ".kpkg");
      List<String> args = new ArrayList<>(List.of("build", dir.resolve("model.onnx").toString(), "--shape",
          g.input() + "=" + shape, "--target", "kendryte", "--quantize", variant.startsWith("uint8") ? "uint8" : "float",
          "-o", pkg.toString()));
      if (variant.endsWith("calibrated")) {
        args.addAll(List.of("--calibrate", calib.toString()));
      }
      CliRun b = CliRun.of(args.toArray(String[]::new));
      assertEquals(0, b.code(), variant + " build: " + b.out() + b.err());
      assertEquals("", b.err(), variant);
      Path o = tmp.resolve(variant + "-out");
      CliRun r = CliRun.of("run", pkg.toString(), "--input", g.input() + "=" + dir.resolve("input.npy"), "--out",
          o.toString());
      assertEquals(0, r.code(), variant + " run: " + r.err());
      assertFalse(r.err().contains("cannot find"), r.err());
      CliRun i = CliRun.of("inspect", pkg.toString(), "--json");
      assertEquals(0, i.code(), variant + " inspect: no duplicated constant " + i.out());
      out.put(variant, dev.kbyoc.runtime.Npy.read(o.resolve("output_0.npy")));
    }
    GoldenModelsTest.assertClose("float package", out.get("float"), GoldenModelsTest.goldens(g).get(0));
    for (String v : List.of("uint8", "uint8-calibrated")) {
      double cos = TolerancePolicy.cosine(out.get("float"), out.get(v));
      System.out.println("mobilenet CLI: " + v + " vs float, cosine " + cos);
      assertTrue(cos >= 0.99, v + " vs float cosine " + cos);
    }
    assertFalse(out.get("uint8").equals(out.get("uint8-calibrated")), "--calibrate changes the quantization");
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
