package dev.kbyoc.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.build.SeedScenario;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.codegen.KendryteCodegen;
import dev.kbyoc.kendryte.codegen.QuantizeMode;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.format.LayerType;
import dev.kbyoc.kendryte.sim.KmodelSimulator;
import dev.kbyoc.kendryte.sim.SimMode;
import dev.kbyoc.onnx.OnnxImporter;
import dev.kbyoc.onnx.OnnxModel;
import dev.kbyoc.op.Targets;
import dev.kbyoc.pass.AnnotateTarget;
import dev.kbyoc.pass.BindParams;
import dev.kbyoc.pass.MergeCompilerRegions;
import dev.kbyoc.pass.PartitionGraph;
import dev.kbyoc.pass.PassContext;
import dev.kbyoc.report.Graphviz;
import dev.kbyoc.report.ModelSummary;
import dev.kbyoc.report.ModelSummary.LayerAccuracy;
import dev.kbyoc.report.ModelSummary.LayerMemory;
import dev.kbyoc.report.ModelSummary.PackageSize;
import dev.kbyoc.report.ModelSummaryFiles;
import dev.kbyoc.report.PartitionDot;
import dev.kbyoc.report.SummaryPage;
import dev.kbyoc.testing.Attach;
import dev.kbyoc.verify.TolerancePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Writes the model summary of each golden model (partition picture, per-layer accuracy and KPU RAM
 * of its Kendryte functions) to {@code target/model-summaries}, where the reports module collects
 * them, and attaches the page to the report. Checks what must hold whatever the numbers: every
 * Kendryte function appears in the picture, each KPU layer fits the 2 MiB KPU RAM and has one
 * accuracy row, and the uint8 simulator stays close to its dequantized reference.
 *
 * <p>Accuracy per KPU conv layer compares the bit-exact uint8 simulation with the dequantized
 * reference ({@link SimMode#FLOAT}) of the same kmodel on seeded uniform [-1, 1] inputs: cosine of
 * the layer outputs and the largest difference in LSB (the outputs are uint8 values). Each layer
 * on its own (bit-exact vs unrounded from the same uint8 input, {@code isolatedErrorLsb}) must stay
 * within {@value #MAX_LAYER_LSB} LSB; the end-to-end difference accumulates over layers and is
 * held to the cosine bound instead.
 */
class ModelSummaryTest {
  static final Path OUT = Path.of("target", ModelSummaryFiles.DIR);
  static final long INPUT_SEED = 0x5EED;
  static final double MIN_COSINE = 0.99;
  /** Issue 6: per KPU layer, uint8 against float at most 2 LSB (the layer's own rounding, same input). */
  static final double MAX_LAYER_LSB = 2;

  @TestFactory
  Stream<DynamicTest> modelSummaries() {
    return ModelZoo.all().stream()
        .map(m -> DynamicTest.dynamicTest(m.name() + ": model summary", () -> summarize(m)));
  }

  private static void summarize(GoldenModel m) throws Exception {
    OnnxModel model = OnnxImporter.load(GoldenModelsTest.dir(m).resolve("model.onnx"));
    IRModule[] bound = new IRModule[1];
    IRModule partitioned = Attach.step("partition for kendryte", () -> {
      PassContext ctx = PassContext.defaults();
      bound[0] = ctx.run(BindParams.create(model.params()), model.module());
      IRModule annotated = ctx.run(AnnotateTarget.create(List.of(Targets.get("kendryte"))), bound[0]);
      return ctx.run(PartitionGraph.create(), ctx.run(MergeCompilerRegions.create(), annotated));
    });
    String dot = PartitionDot.of(partitioned);
    List<LayerAccuracy> accuracy = new ArrayList<>();
    List<LayerMemory> ram = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Map.Entry<String, Function> e : partitioned.functions().entrySet()) {
      if (!"kendryte".equals(e.getValue().compiler())) {
        continue;
      }
      assertTrue(dot.contains("label=\"" + e.getKey() + " (kendryte)"), () -> e.getKey() + " missing from the picture");
      Kmodel kmodel;
      try {
        kmodel = Attach.step("compile " + e.getKey(), () -> KendryteCodegen.compile(e.getValue(), e.getKey(), null, QuantizeMode.UINT8));
      } catch (KbyocException ex) {
        notes.add("not compiled, so not measured: " + ex.getMessage());
        continue;
      }
      Attach.step("simulate " + e.getKey() + " (uint8 and float reference)",
          () -> layers(e.getKey(), kmodel, accuracy, ram));
    }
    List<PackageSize> sizes = new ArrayList<>();
    try {
      Map<String, NDArray> inputs = Map.of(m.input(), NpyFiles.read(GoldenModelsTest.dir(m).resolve("input.npy")));
      SeedScenario.Report r = Attach.step("build and export, with and without the constant updater",
          () -> SeedScenario.run(bound[0], partitioned, inputs));
      sizes.add(new PackageSize("registered constant updater", r.uniqueConstantBytes(), r.registered().packageBytes()));
      sizes.add(new PackageSize("default constant updater (seed bug)", r.uniqueConstantBytes(),
          r.defaults().packageBytes()));
      Attach.text("seed scenario", r.table());
      assertTrue(r.registered().packageBytes() <= r.defaults().packageBytes(),
          () -> m.name() + ": the registered updater made a larger package\n" + r.table());
    } catch (KbyocException ex) {
      notes.add("not built, so no package sizes: " + ex.getMessage());
    }
    ModelSummary s = new ModelSummary(m.name(), dot, sizes, accuracy, ram, ModelSummary.K210_KPU_RAM, notes);
    ModelSummaryFiles.write(OUT, s);
    Attach.html(m.name() + " summary", SummaryPage.render(List.of(s)));
    Graphviz.render(dot).ifPresent(svg -> Attach.svg(m.name() + " partition", svg));
    for (LayerMemory r : ram) {
      assertTrue(r.usedBytes() > 0 && r.usedBytes() <= ModelSummary.K210_KPU_RAM,
          () -> m.name() + " " + r.layer() + " uses " + r.usedBytes() + " bytes of KPU RAM");
    }
    assertEquals(ram.size(), accuracy.size(), m.name() + ": one accuracy row per KPU layer");
    for (LayerAccuracy a : accuracy) {
      assertTrue(a.cosine() >= MIN_COSINE, () -> m.name() + " " + a.layer() + ": cosine " + a.cosine());
    }
  }

  /** Simulates {@code kmodel} in both modes and records each KPU conv layer. */
  private static void layers(String fn, Kmodel kmodel, List<LayerAccuracy> accuracy, List<LayerMemory> ram) {
    KmodelSimulator exact = new KmodelSimulator(fn, kmodel, SimMode.UINT8);
    KmodelSimulator ref = new KmodelSimulator(fn, kmodel, SimMode.FLOAT);
    KmodelSimulator.InputSpec spec = exact.inputSpec();
    SplittableRandom rnd = new SplittableRandom(INPUT_SEED);
    int n = Math.toIntExact(NDArray.checkedSize(spec.shape()));
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextDouble(-1, 1);
    }
    NDArray input = NDArray.of(v, spec.shape());
    KmodelSimulator.Result a = exact.run(input, true);
    KmodelSimulator.Result b = ref.run(input, true);
    for (int i = 0; i < a.layers().size(); i++) {
      KmodelSimulator.LayerReport r = a.layers().get(i);
      if (r.type() != LayerType.K210_CONV) {
        continue;
      }
      String label = fn + "/" + r.index();
      ram.add(new LayerMemory(label, r.kpuRamBytes()));
      accuracy.add(compare(label, a.layerOutputs().get(i), b.layerOutputs().get(i)));
      double iso = r.isolatedErrorLsb();
      assertTrue(iso >= 0 && iso <= MAX_LAYER_LSB, () -> label + ": this layer alone differs from its unrounded"
          + " computation by " + iso + " LSB (at most " + MAX_LAYER_LSB + ")");
    }
    assertFalse(ram.isEmpty(), fn + ": a Kendryte kmodel without a KPU conv layer");
  }

  /** Cosine and the largest absolute difference (uint8 values, so in LSB, rounded up). */
  static LayerAccuracy compare(String label, NDArray x, NDArray y) {
    double max = 0;
    for (int i = 0; i < x.size(); i++) {
      max = Math.max(max, Math.abs(x.getDouble(i) - y.getDouble(i)));
    }
    double cos = TolerancePolicy.cosine(x, y);
    return new LayerAccuracy(label, Math.max(-1, Math.min(1, cos)), (long) Math.ceil(max - 1e-9));
  }

}
