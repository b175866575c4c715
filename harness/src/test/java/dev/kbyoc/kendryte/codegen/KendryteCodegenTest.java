package dev.kbyoc.kendryte.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.format.KmodelReader;
import dev.kbyoc.kendryte.format.KmodelWriter;
import dev.kbyoc.kendryte.sim.KmodelSimulator;
import dev.kbyoc.kendryte.sim.SimMode;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.Interpreter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A three-layer CNN (3x3 conv + bias + relu + 2x2 max pool; depthwise 3x3 + batch_norm + relu6;
 * stride-2 1x1 conv + bias) compiled to a kmodel and run on the simulator against the reference
 * interpreter on inputs not used for calibration.
 */
class KendryteCodegenTest {
  static final long SEED = 20240611L;

  static Constant rand(SplittableRandom r, double scale, int... shape) {
    NDArray a = NDArray.zeros(dev.kbyoc.ir.DType.FLOAT32, shape);
    for (int i = 0; i < a.size(); i++) {
      a.setDouble(i, r.nextDouble(-scale, scale));
    }
    return new Constant(a);
  }

  static Function cnn(SplittableRandom r, int h, int w) {
    Var x = new Var("x", TensorType.f32(1, 3, h, w));
    Expr e = Call.op("nn.conv2d", List.of(x, rand(r, 0.5, 8, 3, 3, 3)), Attrs.of("padding", List.of(1L, 1L)));
    e = Call.op("nn.bias_add", List.of(e, rand(r, 0.2, 8)), Attrs.empty());
    e = Call.op("nn.relu", e);
    e = Call.op("nn.max_pool2d", List.of(e), Attrs.of("pool_size", List.of(2L, 2L), "strides", List.of(2L, 2L)));
    e = Call.op("nn.conv2d", List.of(e, rand(r, 0.6, 8, 1, 3, 3)), Attrs.of("padding", List.of(1L, 1L), "groups", 8L));
    NDArray var = NDArray.zeros(dev.kbyoc.ir.DType.FLOAT32, 8);
    for (int i = 0; i < 8; i++) {
      var.setDouble(i, r.nextDouble(0.5, 2));
    }
    Call bn = Call.op("nn.batch_norm", List.of(e, rand(r, 1, 8), rand(r, 0.3, 8), rand(r, 0.3, 8), new Constant(var)),
        Attrs.empty());
    e = Call.op("clip", List.of(new TupleGetItem(bn, 0)), Attrs.of("a_min", 0.0, "a_max", 6.0));
    e = Call.op("nn.conv2d", List.of(e, rand(r, 0.4, 4, 8, 1, 1)), Attrs.of("strides", List.of(2L, 2L)));
    e = Call.op("nn.bias_add", List.of(e, rand(r, 0.1, 4)), Attrs.empty());
    return InferType.run(IRModule.fromMain(new Function(List.of(x), e))).main();
  }

  static NDArray input(SplittableRandom r, int h, int w) {
    NDArray a = NDArray.zeros(dev.kbyoc.ir.DType.FLOAT32, 1, 3, h, w);
    for (int i = 0; i < a.size(); i++) {
      a.setDouble(i, r.nextDouble(-1, 1));
    }
    return a;
  }

  @Test
  void compiledModelTracksTheInterpreter() {
    SplittableRandom r = new SplittableRandom(SEED);
    Function fn = cnn(r, 16, 20);
    List<NDArray> calib = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calib.add(input(r, 16, 20));
    }
    Kmodel m = KendryteCodegen.compile(fn, "kendryte_0", calib, QuantizeMode.UINT8);
    byte[] bytes = KmodelWriter.write(m);
    Kmodel back = KmodelReader.read("kendryte_0.kmodel", bytes);
    assertArrayEquals(bytes, KmodelWriter.write(back));
    assertEquals(6, back.layers().size());
    KmodelFunction kf = KmodelFunction.load("kendryte_0", bytes);
    assertArrayEquals(bytes, kf.bytes());
    Interpreter ref = new Interpreter(IRModule.fromMain(fn));
    // On a calibration input nothing saturates: the error stays within a few output LSBs.
    double lsb = ((dev.kbyoc.kendryte.format.CpuLayer) back.layers().get(5)).f32("scale");
    NDArray wantCal = ref.runFlat(Map.of("x", calib.get(0))).get(0);
    NDArray gotCal = new KmodelSimulator("kendryte_0", back, SimMode.UINT8).run(calib.get(0)).outputs().get(0);
    double calErr = 0;
    for (int i = 0; i < wantCal.size(); i++) {
      calErr = Math.max(calErr, Math.abs(wantCal.getDouble(i) - gotCal.getDouble(i)));
    }
    assertTrue(calErr <= 3 * lsb, "max error " + calErr / lsb + " LSB on a calibration input (seed " + SEED + ")");
    for (int t = 0; t < 3; t++) {
      NDArray in = input(r, 16, 20);
      NDArray want = ref.runFlat(Map.of("x", in)).get(0);
      for (SimMode mode : SimMode.values()) {
        NDArray got = kf.run(List.of(in), mode).get(0);
        assertArrayEquals(want.shape(), got.shape(), "seed " + SEED);
        double ab = 0;
        double aa = 0;
        double bb = 0;
        double maxErr = 0;
        double range = 0;
        for (int i = 0; i < want.size(); i++) {
          double a = want.getDouble(i);
          double b = got.getDouble(i);
          ab += a * b;
          aa += a * a;
          bb += b * b;
          maxErr = Math.max(maxErr, Math.abs(a - b));
          range = Math.max(range, Math.abs(a));
        }
        double cos = ab / Math.sqrt(aa * bb);
        assertTrue(cos >= 0.99, mode + " cosine " + cos + " (seed " + SEED + ")");
      }
    }
  }

  /** The real flow: AnnotateTarget(kendryte) + MergeCompilerRegions + PartitionGraph, then the codegen. */
  @Test
  void partitionedFunctionCompiles() {
    SplittableRandom r = new SplittableRandom(SEED + 1);
    Function fn = cnn(r, 8, 8);
    IRModule m = IRModule.fromMain(fn);
    m = dev.kbyoc.pass.AnnotateTarget.run(m, List.of(dev.kbyoc.kendryte.KendryteTarget.target()));
    m = dev.kbyoc.pass.MergeCompilerRegions.run(m);
    m = InferType.run(dev.kbyoc.pass.PartitionGraph.run(m));
    Function k = m.get("kendryte_0");
    // The whole chain is offloaded, including the bias_add on the 2x2 output of the stride-2 conv.
    assertEquals(java.util.Set.of("main", "kendryte_0"), m.functions().keySet());
    assertEquals(1, k.params().size());
    assertEquals("kendryte", k.compiler());
    List<NDArray> calib = List.of(input(r, 8, 8), input(r, 8, 8), input(r, 8, 8), input(r, 8, 8));
    KmodelFunction kf = KmodelFunction.compile(k, "kendryte_0", calib, QuantizeMode.UINT8);
    NDArray in = calib.get(2);
    NDArray want = new Interpreter(IRModule.fromMain(fn)).runFlat(Map.of("x", in)).get(0);
    NDArray got = kf.run(List.of(in), SimMode.UINT8).get(0);
    assertArrayEquals(want.shape(), got.shape());
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < want.size(); i++) {
      ab += want.getDouble(i) * got.getDouble(i);
      aa += want.getDouble(i) * want.getDouble(i);
      bb += got.getDouble(i) * got.getDouble(i);
    }
    assertTrue(ab / Math.sqrt(aa * bb) >= 0.99, "cosine " + ab / Math.sqrt(aa * bb));
  }

  @Test
  void oversizeLayerIsRejectedNamingLayerAndBytes() {
    Var x = new Var("x", TensorType.f32(1, 64, 256, 512));
    SplittableRandom r = new SplittableRandom(1);
    Expr e = Call.op("nn.conv2d", List.of(x, rand(r, 1, 4, 64, 1, 1)), Attrs.empty());
    Function fn = InferType.run(IRModule.fromMain(new Function(List.of(x), e))).main();
    // 64 channels x 256 rows x 8 lines = 131072 lines: the rules already refuse it.
    KbyocException ex = assertThrows(KbyocException.class, () -> KendryteCodegen.compile(fn, "kendryte_3", List.of(), QuantizeMode.UINT8));
    assertTrue(ex.getMessage().contains("KPU RAM"), ex.getMessage());
    assertTrue(ex.getMessage().contains("nn.conv2d"), ex.getMessage());
  }

  @Test
  void standaloneReluAndPoolBecomeAnIdentityLayer() {
    Var x = new Var("x", TensorType.f32(1, 4, 8, 8));
    Expr e = Call.op("nn.relu", x);
    e = Call.op("nn.max_pool2d", List.of(e), Attrs.of("pool_size", List.of(2L, 2L), "strides", List.of(2L, 2L)));
    Function fn = InferType.run(IRModule.fromMain(new Function(List.of(x), e))).main();
    SplittableRandom r = new SplittableRandom(3);
    List<NDArray> calib = List.of(input4(r), input4(r), input4(r));
    Kmodel m = KendryteCodegen.compile(fn, "kendryte_2", calib, QuantizeMode.UINT8);
    assertEquals(4, m.layers().size());
    NDArray in = calib.get(1);
    NDArray want = new Interpreter(IRModule.fromMain(fn)).runFlat(Map.of("x", in)).get(0);
    NDArray got = new KmodelSimulator("kendryte_2", m, SimMode.UINT8).run(in).outputs().get(0);
    assertArrayEquals(new int[] {1, 4, 4, 4}, got.shape());
    // Input rounding (half an input step) plus output rounding (one output step, floors included).
    double inLsb = ((dev.kbyoc.kendryte.format.CpuLayer) m.layers().get(0)).f32("scale");
    double outLsb = ((dev.kbyoc.kendryte.format.CpuLayer) m.layers().get(3)).f32("scale");
    for (int i = 0; i < want.size(); i++) {
      assertEquals(want.getDouble(i), got.getDouble(i), 0.51 * inLsb + 1.01 * outLsb, "element " + i);
    }
  }

  static NDArray input4(SplittableRandom r) {
    NDArray a = NDArray.zeros(dev.kbyoc.ir.DType.FLOAT32, 1, 4, 8, 8);
    for (int i = 0; i < a.size(); i++) {
      a.setDouble(i, r.nextDouble(-2, 2));
    }
    return a;
  }

  @Test
  void unsupportedOpIsNamed() {
    Var x = new Var("x", TensorType.f32(1, 3, 8, 8));
    SplittableRandom r = new SplittableRandom(2);
    Expr e = Call.op("nn.conv2d", List.of(x, rand(r, 1, 4, 3, 1, 1)), Attrs.empty());
    e = Call.op("tanh", e);
    Function fn = InferType.run(IRModule.fromMain(new Function(List.of(x), e))).main();
    KbyocException ex = assertThrows(KbyocException.class, () -> KendryteCodegen.compile(fn, "kendryte_1", List.of(), QuantizeMode.UINT8));
    assertTrue(ex.getMessage().startsWith("kendryte codegen: kendryte_1: tanh"), ex.getMessage());
  }
}
