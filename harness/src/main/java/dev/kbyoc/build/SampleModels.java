package dev.kbyoc.build;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Built-in models for the demo and the tests, already partitioned the way {@code PartitionGraph}
 * leaves a module: host ops in {@code @main}, accelerator regions as global functions with attrs
 * {@code Compiler}, {@code global_symbol}, {@code Primitive=1}, {@code Inline=1} holding their
 * bound weights as constants. Weights are pseudo-random from a fixed seed.
 */
public final class SampleModels {
  private SampleModels() {}

  /** A float32 tensor of uniform values in [-1, 1) from {@code rnd}. */
  public static NDArray random(Random rnd, int... shape) {
    NDArray a = NDArray.zeros(dev.kbyoc.ir.DType.FLOAT32, shape);
    for (int i = 0; i < a.size(); i++) {
      a.setDouble(i, rnd.nextDouble() * 2 - 1);
    }
    return a;
  }

  /** An external function of {@code compiler} named {@code symbol} with TVM's partition attrs. */
  public static Function external(String compiler, String symbol, List<Var> params, Expr body) {
    Attrs attrs = Attrs.of(Function.ATTR_COMPILER, compiler, Function.ATTR_GLOBAL_SYMBOL, symbol,
        Function.ATTR_PRIMITIVE, 1L, Function.ATTR_INLINE, 1L);
    return new Function(params, body, null, attrs, null);
  }

  /**
   * A small two-region network on {@code [1, width]} inputs: host {@code relu(add(x, b0))}, then
   * {@code <compiler>_0} = {@code depth} residual blocks {@code relu(add(add(h, w), v))} with
   * constants, then host {@code add(., b1)}, then {@code <compiler>_1} = one more block.
   * {@code compiler} is {@code kendryte} or {@code json}.
   */
  public static IRModule twoRegions(String compiler, int width, int depth, long seed) {
    Random rnd = new Random(seed);
    TensorType t = TensorType.f32(1, width);
    Var x = new Var("x", t);
    Var a0 = new Var(compiler + "_0_i0", t);
    Expr h = a0;
    for (int i = 0; i < depth; i++) {
      h = Call.op("nn.relu", Call.op("add", Call.op("add", h, new Constant(random(rnd, 1, width))),
          new Constant(random(rnd, 1, width))));
    }
    Function f0 = external(compiler, compiler + "_0", List.of(a0), h);
    Var a1 = new Var(compiler + "_1_i0", t);
    Function f1 = external(compiler, compiler + "_1", List.of(a1),
        Call.op("nn.relu", Call.op("add", a1, new Constant(random(rnd, 1, width)))));
    Expr m = Call.op("nn.relu", Call.op("add", x, new Constant(random(rnd, 1, width))));
    m = new Call(new GlobalVar(compiler + "_0"), List.of(m), Attrs.empty());
    m = Call.op("add", m, new Constant(random(rnd, 1, width)));
    m = new Call(new GlobalVar(compiler + "_1"), List.of(m), Attrs.empty());
    Map<String, Function> fs = new LinkedHashMap<>();
    fs.put(IRModule.MAIN, new Function(List.of(x), m));
    fs.put(compiler + "_0", f0);
    fs.put(compiler + "_1", f1);
    return IRModule.of(fs);
  }

  private static Expr convBlock(Expr in, Random rnd, int cin, int cout) {
    Expr w = new Constant(scaled(random(rnd, cout, cin, 3, 3), 1.0 / Math.sqrt(cin * 9.0)));
    Expr conv = Call.op("nn.conv2d", List.of(in, w), Attrs.of("padding", new int[] {1, 1}, "channels", (long) cout,
        "kernel_size", new int[] {3, 3}));
    return Call.op("nn.relu", Call.op("nn.bias_add", List.of(conv, new Constant(random(rnd, cout))), Attrs.empty()));
  }

  private static NDArray scaled(NDArray a, double k) {
    for (int i = 0; i < a.size(); i++) {
      a.setDouble(i, a.getDouble(i) * k);
    }
    return a;
  }

  /**
   * The built-in small CNN on {@code [1, 3, 16, 16]}: {@code <compiler>_0} = two 3x3 conv + bias +
   * relu blocks (3->16->48 channels), host 2x2 max pool, {@code <compiler>_1} = one more block
   * (48->48), host global average pool, flatten, dense to 10 classes, bias, softmax. About 112 KB
   * of accelerator weights and 2 KB of host weights.
   */
  public static IRModule cnn(String compiler, long seed) {
    Random rnd = new Random(seed);
    Var x = new Var("data", TensorType.f32(1, 3, 16, 16));
    Var a0 = new Var(compiler + "_0_i0", TensorType.f32(1, 3, 16, 16));
    Function f0 = external(compiler, compiler + "_0", List.of(a0), convBlock(convBlock(a0, rnd, 3, 16), rnd, 16, 48));
    Var a1 = new Var(compiler + "_1_i0", TensorType.f32(1, 48, 8, 8));
    Function f1 = external(compiler, compiler + "_1", List.of(a1), convBlock(a1, rnd, 48, 48));
    Expr m = new Call(new GlobalVar(compiler + "_0"), List.of(x), Attrs.empty());
    m = Call.op("nn.max_pool2d", List.of(m), Attrs.of("pool_size", new int[] {2, 2}, "strides", new int[] {2, 2}));
    m = new Call(new GlobalVar(compiler + "_1"), List.of(m), Attrs.empty());
    m = Call.op("nn.batch_flatten", Call.op("nn.global_avg_pool2d", m));
    m = Call.op("nn.dense", List.of(m, new Constant(scaled(random(rnd, 10, 48), 0.2))), Attrs.of("units", 10L));
    m = Call.op("nn.softmax", Call.op("nn.bias_add", List.of(m, new Constant(random(rnd, 10))), Attrs.empty()));
    Map<String, Function> fs = new LinkedHashMap<>();
    fs.put(IRModule.MAIN, new Function(List.of(x), m));
    fs.put(compiler + "_0", f0);
    fs.put(compiler + "_1", f1);
    return IRModule.of(fs);
  }

  /**
   * The built-in small CNN before partitioning, on {@code data: [1, 3, 16, 16]}: conv 3x3 3->16,
   * bias, relu; conv 16->48, bias, relu; 2x2 max pool; a per-channel scale ({@code multiply}, which
   * the {@code kendryte} target does not take, so it stays on the host); conv 48->48, bias, relu;
   * global average pool; flatten; dense to 10; bias; softmax. About 114 KB of weights, all but the
   * 192-byte scale inside Kendryte regions once partitioned.
   */
  public static IRModule cnnUnpartitioned(long seed) {
    Random rnd = new Random(seed);
    Var x = new Var("data", TensorType.f32(1, 3, 16, 16));
    Expr m = convBlock(convBlock(x, rnd, 3, 16), rnd, 16, 48);
    m = Call.op("nn.max_pool2d", List.of(m), Attrs.of("pool_size", new int[] {2, 2}, "strides", new int[] {2, 2}));
    NDArray scale = random(rnd, 1, 48, 1, 1);
    for (int i = 0; i < scale.size(); i++) {
      scale.setDouble(i, 1 + 0.25 * scale.getDouble(i));
    }
    m = Call.op("multiply", m, new Constant(scale));
    m = Call.op("nn.batch_flatten", Call.op("nn.global_avg_pool2d", convBlock(m, rnd, 48, 48)));
    m = Call.op("nn.dense", List.of(m, new Constant(scaled(random(rnd, 10, 48), 0.2))), Attrs.of("units", 10L));
    m = Call.op("nn.softmax", Call.op("nn.bias_add", List.of(m, new Constant(random(rnd, 10))), Attrs.empty()));
    return IRModule.fromMain(new Function(List.of(x), m));
  }
}
