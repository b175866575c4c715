package dev.kbyoc.bench.jmh;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Value;
import dev.kbyoc.op.Kernel;
import dev.kbyoc.op.OpDef;
import dev.kbyoc.runtime.kernels.FastKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The host kernels, fast against reference, on CNN-shaped layers: {@code layer} picks the op and
 * shape (3x3 conv, stride-2 3x3 conv, depthwise 3x3, pointwise 1x1, dense, batch norm, add).
 * Run: {@code mvn -Pbenchmarks -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar KernelBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelBenchmarks {
  @Param({"conv3x3_32x32x32", "conv3x3s2_16x32x32", "depthwise3x3_64x16x16", "pointwise_64x64x16x16",
      "dense_512x256", "batchnorm_64x32x32", "add_64x32x32"})
  public String layer;

  /** {@code fast} (the graph runtime's kernels) or {@code reference} (the interpreter's). */
  @Param({"fast", "reference"})
  public String kernel;

  private Kernel k;
  private List<Value> args;
  private Attrs attrs;
  private Type out;

  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(42);
    String op;
    List<NDArray> in = new ArrayList<>();
    Attrs a = Attrs.empty();
    switch (layer) {
      case "conv3x3_32x32x32" -> {
        op = "nn.conv2d";
        in.add(rand(r, 1, 32, 32, 32));
        in.add(rand(r, 32, 32, 3, 3));
        a = Attrs.of("padding", List.of(1L, 1L));
      }
      case "conv3x3s2_16x32x32" -> {
        op = "nn.conv2d";
        in.add(rand(r, 1, 16, 32, 32));
        in.add(rand(r, 32, 16, 3, 3));
        a = Attrs.of("padding", List.of(1L, 1L), "strides", List.of(2L, 2L));
      }
      case "depthwise3x3_64x16x16" -> {
        op = "nn.conv2d";
        in.add(rand(r, 1, 64, 16, 16));
        in.add(rand(r, 64, 1, 3, 3));
        a = Attrs.of("padding", List.of(1L, 1L), "groups", 64L);
      }
      case "pointwise_64x64x16x16" -> {
        op = "nn.conv2d";
        in.add(rand(r, 1, 64, 16, 16));
        in.add(rand(r, 64, 64, 1, 1));
      }
      case "dense_512x256" -> {
        op = "nn.dense";
        in.add(rand(r, 1, 512));
        in.add(rand(r, 256, 512));
      }
      case "batchnorm_64x32x32" -> {
        op = "nn.batch_norm";
        in.add(rand(r, 1, 64, 32, 32));
        for (int i = 0; i < 4; i++) {
          in.add(rand(r, 64));
        }
      }
      case "add_64x32x32" -> {
        op = "add";
        in.add(rand(r, 1, 64, 32, 32));
        in.add(rand(r, 1, 64, 32, 32));
      }
      default -> throw new IllegalArgumentException(layer);
    }
    OpDef def = OpDef.of(op);
    attrs = a.withDefaults(def.attrs());
    args = new ArrayList<>(in);
    List<Type> types = new ArrayList<>();
    in.forEach(t -> types.add(t.type()));
    out = def.inferType(types, attrs);
    k = kernel.equals("fast") ? FastKernels.all().get(op) : def.kernel();
  }

  private static NDArray rand(SplittableRandom r, int... shape) {
    NDArray a = NDArray.zeros(DType.FLOAT32, shape);
    float[] d = a.floatData();
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) r.nextDouble(0.1, 1);
    }
    return a;
  }

  @Benchmark
  public Value run() {
    return k.compute(args, attrs, out);
  }
}
