package dev.kbyoc.kendryte.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import dev.kbyoc.kendryte.codegen.KendryteCodegen;
import dev.kbyoc.kendryte.codegen.KmodelFunction;
import dev.kbyoc.kendryte.codegen.QuantizeMode;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.format.KmodelWriter;
import dev.kbyoc.kendryte.format.LayerType;
import dev.kbyoc.kendryte.sim.InputQuantizer;
import dev.kbyoc.kendryte.sim.KmodelSimulator;
import dev.kbyoc.kendryte.sim.SimMode;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.BinWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The uint8 kmodel a K210 loads: a region whose input feeds only KPU convs starts with K210_CONV
 * on uint8 input (quantized on the host, parameters in the module blob), bit-identical to the
 * QUANTIZE + K210_UPLOAD layout it replaces; other first consumers keep their layouts.
 */
class BoardKmodelTest {

  private static Constant rand(SplittableRandom r, double scale, int... shape) {
    NDArray a = NDArray.zeros(DType.FLOAT32, shape);
    for (int i = 0; i < a.size(); i++) {
      a.setDouble(i, r.nextDouble(-scale, scale));
    }
    return new Constant(a);
  }

  private static NDArray input(SplittableRandom r, double scale, int... shape) {
    return rand(r, scale, shape).data();
  }

  private static Function typed(Var x, Expr body) {
    return InferType.run(IRModule.fromMain(new Function(List.of(x), body))).main();
  }

  /** conv 3x3 + relu, then a 1x1 conv and a residual add of the two maps: the input feeds one conv. */
  private static Function convFirst(SplittableRandom r) {
    Var x = new Var("x", TensorType.f32(1, 3, 8, 12));
    Expr a = Call.op("nn.relu", Call.op("nn.conv2d", List.of(x, rand(r, 0.5, 6, 3, 3, 3)),
        Attrs.of("padding", List.of(1L, 1L))));
    Expr b = Call.op("nn.conv2d", List.of(a, rand(r, 0.5, 6, 6, 1, 1)), Attrs.empty());
    return typed(x, Call.op("add", a, b));
  }

  @Test
  void convFirstKmodelIsBitIdenticalToTheQuantizeUploadLayout() {
    SplittableRandom r = new SplittableRandom(11);
    Function fn = convFirst(r);
    List<NDArray> calib = List.of(input(r, 1.5, 1, 3, 8, 12), input(r, 1.5, 1, 3, 8, 12));
    KmodelFunction board = KmodelFunction.compile(fn, "kendryte_0", calib, QuantizeMode.UINT8);
    Kmodel old = KendryteCodegen.compile(fn, "kendryte_0", calib, QuantizeMode.UINT8);
    List<LayerType> oldTypes = old.layers().stream().map(l -> l.type()).toList();
    List<LayerType> newTypes = board.model().layers().stream().map(l -> l.type()).toList();
    assertEquals(List.of(LayerType.QUANTIZE, LayerType.K210_UPLOAD), oldTypes.subList(0, 2));
    assertEquals(oldTypes.subList(2, oldTypes.size()), newTypes, "the same layers minus QUANTIZE + K210_UPLOAD");
    assertTrue(board.sdkAcceptsFirstLayer());
    assertNotNullQuant(board);
    for (int k = 0; k < 5; k++) {
      NDArray x = input(r, 2, 1, 3, 8, 12); // also outside the calibrated range: saturation
      NDArray want = new KmodelSimulator("old", old, SimMode.UINT8).run(x).outputs().get(0);
      NDArray got = board.run(List.of(x), SimMode.UINT8).get(0);
      assertArrayEquals(want.floatData(), got.floatData(), "input " + k);
      NDArray wantF = new KmodelSimulator("old", old, SimMode.FLOAT).run(x).outputs().get(0);
      NDArray gotF = board.run(List.of(x), SimMode.FLOAT).get(0);
      // the float run is unrounded: the host's bias -zero * scale is computed from the float32 scale of the
      // blob, the QUANTIZE layer's from the double, so it may differ in the last float32 bit
      assertArrayEquals(wantF.floatData(), gotF.floatData(), 1e-5f, "float run, input " + k);
    }
  }

  private static void assertNotNullQuant(KmodelFunction f) {
    assertTrue(f.inputQuant() != null, f.symbol() + " has a host input quantization");
  }

  @Test
  void hostQuantizationRoundsLikeTheQuantizeLayer() {
    // scale 0.5, zero 3: bias -1.5; q = roundf((x + 1.5) * 2) clamped
    NDArray x = NDArray.of(new float[] {0.25f, -2f, 200f, 0f, -0.5f, 0.3f}, 1, 6);
    NDArray q = InputQuantizer.quantize(x, 0.5f, 3, SimMode.UINT8);
    assertEquals(DType.UINT8, q.dtype());
    double[] want = {4, 0, 255, 3, 2, 4}; // 3.5 rounds away from zero to 4; 3.6 -> 4
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], q.getDouble(i), "element " + i);
    }
    NDArray f = InputQuantizer.quantize(x, 0.5f, 3, SimMode.FLOAT);
    assertEquals(3.5, f.getDouble(0), 0);
    assertEquals(0, f.getDouble(1), 0);
    assertEquals(255, f.getDouble(2), 0);
    assertEquals(3.6, f.getDouble(5), 1e-6);
  }

  @Test
  void denseFirstTakesFloatAndOtherFirstConsumersKeepQuantize() {
    SplittableRandom r = new SplittableRandom(5);
    Var v = new Var("v", TensorType.f32(1, 16));
    Function dense = typed(v, Call.op("nn.relu", Call.op("nn.dense", List.of(v, rand(r, 0.5, 4, 16)), Attrs.empty())));
    KmodelFunction d = KmodelFunction.compile(dense, "kendryte_1", List.of(), QuantizeMode.UINT8);
    assertEquals(LayerType.FULLY_CONNECTED, d.model().layers().get(0).type());
    assertNull(d.inputQuant());
    assertTrue(d.sdkAcceptsFirstLayer());
    Var x = new Var("x", TensorType.f32(1, 4, 8, 8));
    Expr c = Call.op("nn.conv2d", List.of(x, rand(r, 0.5, 4, 4, 1, 1)), Attrs.empty());
    Function add = typed(x, Call.op("add", x, c)); // the input feeds the add too: it is needed in main memory
    KmodelFunction a = KmodelFunction.compile(add, "kendryte_2", List.of(), QuantizeMode.UINT8);
    assertEquals(LayerType.QUANTIZE, a.model().layers().get(0).type());
    assertNull(a.inputQuant());
    assertFalse(a.sdkAcceptsFirstLayer(), "runs only in kbyoc");
    KmodelFunction fl = KmodelFunction.compile(convFirst(r), "kendryte_3", List.of(), QuantizeMode.FLOAT);
    assertNull(fl.inputQuant(), "a float kmodel takes float input");
  }

  @Test
  void versionOneBlobsStillLoadAndBadQuantizationIsRejected() {
    SplittableRandom r = new SplittableRandom(8);
    Function fn = convFirst(r);
    byte[] old = KmodelWriter.write(KendryteCodegen.compile(fn, "kendryte_4", List.of(), QuantizeMode.UINT8));
    byte[] v1 = new BinWriter().bytes(new byte[] {'K', 'B', 'K', 'M'}).u32(1).str("kendryte_4").u32(old.length)
        .bytes(old).toByteArray();
    KendryteModule m = KendryteModule.load(v1, "v1 blob");
    assertNull(m.function().inputQuant());
    NDArray x = input(r, 1, 1, 3, 8, 12);
    NDArray want = new KmodelSimulator("v1", KendryteCodegen.compile(fn, "kendryte_4", List.of(), QuantizeMode.UINT8),
        SimMode.UINT8).run(x).outputs().get(0);
    assertArrayEquals(want.floatData(), m.run("kendryte_4", List.of(x)).get(0).floatData());
    assertEquals(2, m.serialize()[4], "written as version 2");
    byte[] quantOnQuantize = new BinWriter().bytes(new byte[] {'K', 'B', 'K', 'M'}).u32(2).str("kendryte_4")
        .u32(Float.floatToRawIntBits(0.01f)).u8(128).u32(old.length).bytes(old).toByteArray();
    KbyocException e = assertThrows(KbyocException.class, () -> KendryteModule.load(quantOnQuantize, "b.blob"));
    assertEquals("kendryte function kendryte_4: an input quantization needs a uint8 kmodel starting with K210_CONV,"
        + " this one starts with QUANTIZE", e.getMessage());
    byte[] negative = new BinWriter().bytes(new byte[] {'K', 'B', 'K', 'M'}).u32(2).str("kendryte_4")
        .u32(Float.floatToRawIntBits(-1f) & 0xFFFFFFFFL).u8(0).u32(old.length).bytes(old).toByteArray();
    KbyocException n = assertThrows(KbyocException.class, () -> KendryteModule.load(negative, "n.blob"));
    assertEquals("n.blob: input scale -1.0 is not a positive number at offset 27", n.getMessage());
  }

  @Test
  void quantizationSurvivesTheBlob() {
    SplittableRandom r = new SplittableRandom(9);
    KmodelFunction f = KmodelFunction.compile(convFirst(r), "kendryte_5", List.of(), QuantizeMode.UINT8);
    KendryteModule m = new KendryteModule(f, SimMode.UINT8);
    KendryteModule back = KendryteModule.load(m.serialize(), "blob");
    assertEquals(f.inputQuant(), back.function().inputQuant());
    NDArray x = input(r, 1, 1, 3, 8, 12);
    assertArrayEquals(m.run("kendryte_5", List.of(x)).get(0).floatData(), back.run("kendryte_5", List.of(x)).get(0).floatData());
    List<Double> q = new ArrayList<>();
    NDArray k = f.kmodelInput(x, SimMode.UINT8);
    for (int i = 0; i < k.size(); i++) {
      q.add(k.getDouble(i));
    }
    assertTrue(q.stream().allMatch(v -> v == Math.rint(v) && v >= 0 && v <= 255), "uint8 values");
  }
}
