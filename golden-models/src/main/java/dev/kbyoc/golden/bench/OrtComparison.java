package dev.kbyoc.golden.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.golden.GoldenModel;
import dev.kbyoc.golden.ModelZoo;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.onnx.OnnxImporter;
import dev.kbyoc.onnx.OnnxModel;
import dev.kbyoc.runtime.GraphRuntime;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.verify.bench.BenchOptions;
import dev.kbyoc.verify.bench.BenchSection;
import dev.kbyoc.verify.bench.Figure;
import dev.kbyoc.verify.bench.Timing;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * For each golden CNN: the median time of one inference on kbyoc's graph runtime (the model
 * imported, built for the host only, run from its graph with the fast host kernels) and on ONNX
 * Runtime (intra-op threads = ours, one inter-op thread, all graph optimisations), both including
 * setting the input and reading the outputs; the ratio ours/ORT is the figure, with the goal
 * of at most 2.0 on the MobileNet- and ResNet-style models. The engines are timed in interleaved
 * blocks ({@link Timing#interleavedMedianMillis}) so load changes on a shared machine hit them
 * alike. Both thread pools spin while a run is in progress; ONNX Runtime's would by default go on
 * spinning after {@code Run()} returns, and in this shared process that starves the graph
 * runtime's worker on a 2-core machine (resnet on two threads: 0.44 ms instead of 0.32-0.34), so
 * ORT runs with {@code session.force_spinning_stop=1}: its threads spin during a run as by default
 * and stop when it ends, as the graph runtime's do after 1 ms. The reference interpreter's time
 * is shown for scale. Before timing, both engines' outputs are compared (max error relative to
 * the output's largest magnitude at most 1e-4), so a fast wrong answer cannot pass.
 */
public final class OrtComparison implements BenchSection {
  /** The bound on ours/ORT for the MobileNet- and ResNet-style models. */
  public static final double GOAL_RATIO = 2.0;
  static final Set<String> GOAL_MODELS = Set.of("mobilenet", "resnet");
  static final List<String> MODELS = List.of("mobilenet", "resnet", "lenet", "detection", "oversize");

  @Override
  public String name() {
    return "golden-cnn";
  }

  @Override
  public List<Figure> run(BenchOptions o) throws Exception {
    List<Figure> out = new ArrayList<>();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    for (GoldenModel g : ModelZoo.all()) {
      if (!MODELS.contains(g.name()) || (o.quick() && g.name().equals("oversize"))) {
        continue;
      }
      out.addAll(compare(env, g, o));
    }
    return out;
  }

  private List<Figure> compare(OrtEnvironment env, GoldenModel g, BenchOptions o) throws Exception {
    byte[] onnx = g.model().toByteArray();
    OnnxModel model = OnnxImporter.fromBytes(onnx, g.name() + ".onnx", OnnxImporter.Options.DEFAULT);
    NDArray x = NDArray.of(g.inputData(), g.inputShape());
    BuildResult built = RelayBuild.build(model.module(), model.params(), BuildOptions.DEFAULT);
    GraphRuntime rt = new GraphRuntime(built.graph(), built.modules(), w -> { });
    rt.loadParams(built.params());
    Map<String, NDArray> feed = new HashMap<>(model.params());
    feed.put(g.input(), x);
    Interpreter interp = new Interpreter(model.module());
    int repeats = o.repeats();
    int warmup = o.warmup();
    if (g.name().equals("oversize")) {
      repeats = Math.max(3, repeats / 10);
      warmup = Math.max(1, warmup / 10);
    }
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(o.threads());
      so.setInterOpNumThreads(1);
      so.addConfigEntry("session.force_spinning_stop", "1");
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession s = env.createSession(onnx, so)) {
        long[] shape = Arrays.stream(g.inputShape()).asLongStream().toArray();
        float[] data = g.inputData();
        Timing.Action ort = () -> {
          try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
               OrtSession.Result r = s.run(Map.of(g.input(), in))) {
            for (int i = 0; i < r.size(); i++) {
              ((OnnxTensor) r.get(i)).getFloatBuffer();
            }
          }
        };
        Timing.Action ours = () -> {
          rt.setInput(g.input(), x);
          rt.run();
          for (int i = 0; i < rt.numOutputs(); i++) {
            rt.getOutput(i);
          }
        };
        check(g, env, s, rt, x, shape, data);
        double[] times = Timing.interleavedMedianMillis(List.of(ort, ours), warmup, repeats);
        double tOrt = times[0];
        double tOurs = times[1];
        double tInterp = Timing.medianMillis(() -> interp.runFlat(feed), Math.min(warmup, 2), Math.min(repeats, 3));
        String n = g.name();
        double ratio = tOurs / tOrt;
        return List.of(
            Figure.info(name(), n + " ORT", tOrt, "ms"),
            Figure.info(name(), n + " graph runtime", tOurs, "ms"),
            Figure.info(name(), n + " reference interpreter", tInterp, "ms"),
            GOAL_MODELS.contains(n)
                ? new Figure(name(), n + " ours/ORT", ratio, "x", GOAL_RATIO, true)
                : Figure.info(name(), n + " ours/ORT", ratio, "x"),
            Figure.info(name(), n + " interpreter/ours", tInterp / tOurs, "x"));
      }
    }
  }

  /** Both engines must agree before their times mean anything. */
  private static void check(GoldenModel g, OrtEnvironment env, OrtSession s, GraphRuntime rt, NDArray x, long[] shape,
      float[] data) throws Exception {
    rt.setInput(g.input(), x);
    rt.run();
    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
         OrtSession.Result r = s.run(Map.of(g.input(), in))) {
      if (r.size() != rt.numOutputs()) {
        throw new IllegalStateException(g.name() + ": ORT gives " + r.size() + " outputs, kbyoc " + rt.numOutputs());
      }
      for (int i = 0; i < r.size(); i++) {
        FloatBuffer fb = ((OnnxTensor) r.get(i)).getFloatBuffer();
        float[] want = new float[fb.remaining()];
        fb.get(want);
        float[] got = rt.getOutput(i).floatData();
        double scale = 1e-6;
        double worst = 0;
        for (int j = 0; j < want.length; j++) {
          scale = Math.max(scale, Math.abs(want[j]));
          worst = Math.max(worst, Math.abs(want[j] - got[j]));
        }
        if (want.length != got.length || !(worst <= 1e-4 * scale)) {
          throw new IllegalStateException(g.name() + " output " + i + ": kbyoc and ORT differ by " + worst);
        }
      }
    }
  }
}
