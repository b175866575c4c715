package dev.kbyoc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.build.SampleModels;
import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import dev.kbyoc.kendryte.codegen.KmodelFunction;
import dev.kbyoc.kendryte.codegen.QuantizeMode;
import dev.kbyoc.kendryte.sim.SimMode;
import dev.kbyoc.pass.InferType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The graph runtime and the Kendryte simulator run safely from many threads: separate runtime
 * instances sharing one loaded package (and one compiled kmodel) give, run by run, exactly the
 * bytes a single-threaded run gives for the same input.
 */
class ConcurrentRunsTest {
  static final int THREADS = 8;
  static final int RUNS = 20;

  static NDArray random(long seed, DType dtype, int... shape) {
    Random r = new Random(seed);
    NDArray a = NDArray.zeros(dtype, shape);
    for (int i = 0; i < a.size(); i++) {
      a.setDouble(i, dtype == DType.FLOAT32 ? r.nextDouble() * 2 - 1 : r.nextInt(256));
    }
    return a;
  }

  /** Runs {@code run(i)} for i in [0, THREADS * RUNS) on THREADS threads and checks each against {@code expected}. */
  static void concurrently(IntFunction<List<byte[]>> run, List<List<byte[]>> expected) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        fs.add(pool.submit(() -> {
          for (int k = 0; k < RUNS; k++) {
            int i = (thread * 7 + k) % expected.size();
            List<byte[]> got = run.apply(i);
            assertEquals(expected.get(i).size(), got.size());
            for (int o = 0; o < got.size(); o++) {
              assertArrayEquals(expected.get(i).get(o), got.get(o), "run " + i + " output " + o + " on thread " + thread);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void graphRuntimesSharingOnePackage() throws Exception {
    BuildResult r = RelayBuild.build(SampleModels.cnn("kendryte", 3), Map.of(), BuildOptions.DEFAULT);
    LoadedPackage pkg = PackageReader.read(PackageWriter.toBytes(r.graphJson(), ParamsFormat.encode(r.params()),
        r.modules()), "cnn.kbpkg");
    Map<String, NDArray> params = ParamsFormat.decode(pkg.params(), "params");
    GraphJson g = pkg.graph();
    List<int[]> inputShapes = new ArrayList<>();
    List<String> inputNames = new ArrayList<>();
    for (int a : g.argNodes()) {
      String name = g.nodes().get(a).name();
      if (!params.containsKey(name)) {
        inputNames.add(name);
        inputShapes.add(g.shapes().get(g.entryId(a, 0)));
      }
    }
    assertTrue(!inputNames.isEmpty());
    IntFunction<List<byte[]>> run = i -> {
      GraphRuntime rt = new GraphRuntime(g, pkg.modules(), w -> { });
      rt.loadParams(params);
      for (int k = 0; k < inputNames.size(); k++) {
        rt.setInput(inputNames.get(k), random(1000L * i + k, DType.FLOAT32, inputShapes.get(k)));
      }
      rt.run();
      List<byte[]> out = new ArrayList<>();
      for (int o = 0; o < rt.numOutputs(); o++) {
        out.add(rt.getOutput(o).toBytes());
      }
      return out;
    };
    List<List<byte[]>> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.add(run.apply(i));
    }
    assertTrue(!java.util.Arrays.equals(expected.get(0).get(0), expected.get(1).get(0)), "inputs must matter");
    concurrently(run, expected);
  }

  @Test
  void simulatorsSharingOneKmodel() throws Exception {
    Random rnd = new Random(5);
    Var x = new Var("x", TensorType.f32(1, 3, 8, 8));
    Expr e = Call.op("nn.conv2d", List.of(x, new Constant(SampleModels.random(rnd, 8, 3, 3, 3))),
        Attrs.of("padding", List.of(1L, 1L)));
    e = Call.op("nn.bias_add", List.of(e, new Constant(SampleModels.random(rnd, 8))), Attrs.empty());
    e = Call.op("nn.relu", e);
    Function fn = InferType.run(IRModule.fromMain(new Function(List.of(x), e))).main();
    KmodelFunction k = KmodelFunction.compile(fn, "kendryte_0", List.of(), QuantizeMode.UINT8);
    for (SimMode mode : SimMode.values()) {
      IntFunction<List<byte[]>> run = i -> k.run(List.of(random(77L * i, DType.FLOAT32, 1, 3, 8, 8)), mode).stream()
          .map(NDArray::toBytes).toList();
      List<List<byte[]>> expected = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        expected.add(run.apply(i));
      }
      assertTrue(!java.util.Arrays.equals(expected.get(0).get(0), expected.get(1).get(0)), "inputs must matter");
      concurrently(run, expected);
    }
  }
}
