package dev.kbyoc.kendryte.codegen;

import static dev.kbyoc.kendryte.codegen.KendryteCodegenTest.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.Var;
import dev.kbyoc.kendryte.format.CpuLayer;
import dev.kbyoc.kendryte.format.KLayer;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.format.KmodelReader;
import dev.kbyoc.kendryte.format.KmodelWriter;
import dev.kbyoc.kendryte.format.LayerType;
import dev.kbyoc.kendryte.sim.KmodelSimulator;
import dev.kbyoc.kendryte.sim.SimMode;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.verify.TolerancePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * DAG regions lowered to kmodel CPU layers, each checked against the reference interpreter (an
 * independent implementation of the Relay ops) or hand-computed values: a residual add with a tensor
 * read twice, nearest upsampling, channel concat, a second output, global pool + flatten + dense +
 * softmax; float-only regions to 1e-6; the multi-input rejection.
 */
class RegionLoweringTest {
  static final long SEED = 606L;

  private static Call conv(Expr x, SplittableRandom r, int out, int in, int k, Object... more) {
    Attrs at = Attrs.of("padding", List.of((long) (k / 2), (long) (k / 2)));
    for (int i = 0; i < more.length; i += 2) {
      at = at.with((String) more[i], more[i + 1]);
    }
    return Call.op("nn.conv2d", List.of(x, rand(r, 0.5, out, in, k, k)), at);
  }

  /**
   * x[1,3,8,8] -> a = relu(conv3x3 8) -> r = relu(conv3x3(a) + bias + a) -> d = relu(conv3x3 s2 16)
   * -> u = resize x2 -> c = concat(u, r) -> (conv1x1 6, softmax(dense(flatten(gap(c))))).
   */
  static Function dag(SplittableRandom r) {
    Var x = new Var("x", TensorType.f32(1, 3, 8, 8));
    Expr a = Call.op("nn.relu", conv(x, r, 8, 3, 3));
    Expr b = Call.op("nn.bias_add", List.of(conv(a, r, 8, 8, 3), rand(r, 0.2, 8)), Attrs.empty());
    Expr res = Call.op("nn.relu", Call.op("add", b, a));
    Expr d = Call.op("nn.relu", conv(res, r, 16, 8, 3, "strides", List.of(2L, 2L)));
    Expr u = Call.op("image.resize2d", List.of(d), Attrs.of("size", List.of(8L, 8L), "method", "nearest_neighbor",
        "coordinate_transformation_mode", "asymmetric", "rounding_method", "floor"));
    Expr c = Call.op("concatenate", List.of(new Tuple(List.of(u, res))), Attrs.of("axis", 1L));
    Expr head = conv(c, r, 6, 24, 1);
    Expr g = Call.op("nn.batch_flatten", Call.op("nn.global_avg_pool2d", c));
    Expr fc = Call.op("nn.bias_add", List.of(Call.op("nn.dense", List.of(g, rand(r, 0.5, 5, 24)), Attrs.empty()),
        rand(r, 0.1, 5)), Attrs.empty());
    Expr sm = Call.op("nn.softmax", List.of(fc), Attrs.of("axis", -1L));
    return InferType.run(IRModule.fromMain(new Function(List.of(x), new Tuple(List.of(head, sm))))).main();
  }

  static NDArray input(SplittableRandom r, int... shape) {
    NDArray a = NDArray.zeros(DType.FLOAT32, shape);
    for (int i = 0; i < a.size(); i++) {
      a.setDouble(i, r.nextDouble(-1, 1));
    }
    return a;
  }

  private static List<LayerType> types(Kmodel m) {
    return m.layers().stream().map(KLayer::type).toList();
  }

  @Test
  void dagRegionTracksTheInterpreterAndRoundTrips() {
    SplittableRandom r = new SplittableRandom(SEED);
    Function fn = dag(r);
    List<NDArray> calib = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calib.add(input(r, 1, 3, 8, 8));
    }
    Kmodel m = KendryteCodegen.compile(fn, "kendryte_9", calib, QuantizeMode.UINT8);
    byte[] bytes = KmodelWriter.write(m);
    assertArrayEquals(bytes, KmodelWriter.write(KmodelReader.read("kendryte_9", bytes)), "write -> read -> write");
    List<LayerType> t = types(m);
    assertEquals(LayerType.QUANTIZE, t.get(0), t.toString());
    for (LayerType want : List.of(LayerType.K210_UPLOAD, LayerType.K210_CONV, LayerType.QUANTIZED_ADD,
        LayerType.QUANTIZED_RESIZE_NEAREST_NEIGHBOR, LayerType.QUANTIZED_CONCAT, LayerType.DEQUANTIZE,
        LayerType.GLOBAL_AVERAGE_POOL2D, LayerType.FULLY_CONNECTED, LayerType.SOFTMAX)) {
      assertTrue(t.contains(want), want + " missing from " + t);
    }
    assertEquals(4, t.stream().filter(LayerType.K210_CONV::equals).count(), t.toString());
    assertEquals(2, m.outputs().size());
    Interpreter ref = new Interpreter(IRModule.fromMain(fn));
    for (int s = 0; s < 3; s++) {
      NDArray in = s == 0 ? calib.get(0) : input(r, 1, 3, 8, 8);
      List<NDArray> want = ref.runFlat(Map.of("x", in));
      for (SimMode mode : SimMode.values()) {
        List<NDArray> got = new KmodelSimulator("kendryte_9", m, mode).run(in).outputs();
        for (int o = 0; o < 2; o++) {
          assertEquals(want.get(o).size(), got.get(o).size());
          double cos = TolerancePolicy.cosine(want.get(o), got.get(o));
          assertTrue(cos >= 0.99, mode + " output " + o + " cosine " + cos + " (seed " + SEED + ")");
        }
      }
    }
  }

  /**
   * The float kmodel of the same DAG: float ADD / CONCAT / RESIZE_NEAREST_NEIGHBOR, the add's relu
   * as a fifth (identity) K210_CONV, and the interpreter's values to float32 rounding.
   */
  @Test
  void floatKmodelUsesFloatCpuLayersAndEqualsTheInterpreter() {
    SplittableRandom r = new SplittableRandom(SEED);
    Function fn = dag(r);
    Kmodel m = KendryteCodegen.compile(fn, "kendryte_9", List.of(), QuantizeMode.FLOAT);
    byte[] bytes = KmodelWriter.write(m);
    assertArrayEquals(bytes, KmodelWriter.write(KmodelReader.read("kendryte_9", bytes)), "write -> read -> write");
    List<LayerType> t = types(m);
    for (LayerType want : List.of(LayerType.ADD, LayerType.CONCAT, LayerType.RESIZE_NEAREST_NEIGHBOR,
        LayerType.GLOBAL_AVERAGE_POOL2D, LayerType.FULLY_CONNECTED, LayerType.SOFTMAX)) {
      assertTrue(t.contains(want), want + " missing from " + t);
    }
    assertTrue(t.stream().noneMatch(x -> x.name().startsWith("QUANTIZED_") || x == LayerType.REQUANTIZE), t.toString());
    assertEquals(5, t.stream().filter(LayerType.K210_CONV::equals).count(), t.toString());
    NDArray in = input(r, 1, 3, 8, 8);
    List<NDArray> want = new Interpreter(IRModule.fromMain(fn)).runFlat(Map.of("x", in));
    List<NDArray> got = new KmodelSimulator("kendryte_9", m, SimMode.FLOAT).run(in).outputs();
    for (int o = 0; o < 2; o++) {
      double scale = 0;
      for (int i = 0; i < want.get(o).size(); i++) {
        scale = Math.max(scale, Math.abs(want.get(o).getDouble(i)));
      }
      for (int i = 0; i < want.get(o).size(); i++) {
        assertEquals(want.get(o).getDouble(i), got.get(o).getDouble(i), 1e-5 * scale, "output " + o + " element " + i);
      }
    }
  }

  /** A region whose inputs are already float (dense outputs) uses the float ADD: exact to float32 rounding. */
  @Test
  void floatOnlyRegionUsesFloatLayersExactly() {
    SplittableRandom r = new SplittableRandom(SEED + 1);
    Var x = new Var("x", TensorType.f32(1, 4, 4, 4));
    Expr g = Call.op("nn.batch_flatten", Call.op("nn.global_avg_pool2d", x));
    Expr d1 = Call.op("nn.relu", Call.op("nn.dense", List.of(g, rand(r, 1, 6, 4)), Attrs.empty()));
    Expr d2 = Call.op("add", Call.op("nn.dense", List.of(g, rand(r, 1, 6, 4)), Attrs.empty()), rand(r, 1, 6));
    Expr out = Call.op("nn.softmax", List.of(Call.op("add", d1, d2)), Attrs.of("axis", 1L));
    Function fn = InferType.run(IRModule.fromMain(new Function(List.of(x), out))).main();
    Kmodel m = KendryteCodegen.compile(fn, "kendryte_4", List.of(), QuantizeMode.UINT8);
    assertEquals(List.of(LayerType.GLOBAL_AVERAGE_POOL2D, LayerType.FULLY_CONNECTED, LayerType.FULLY_CONNECTED,
        LayerType.ADD, LayerType.SOFTMAX), types(m));
    // Addresses by hand (first fit, live ranges): input 256 bytes at 0; the pool's 16 bytes at 256;
    // once the input is dead, dense 1 (24 bytes) at 0 and dense 2 at 24; the pool dies with dense 2,
    // so the sum goes to 48; softmax reuses 0. Peak: 272 bytes.
    CpuLayer gap = (CpuLayer) m.layers().get(0);
    assertEquals(List.of(0L, 256L, 16L, 4L), List.of(gap.u32("main_mem_in_address"), gap.u32("main_mem_out_address"),
        gap.u32("kernel_size"), gap.u32("channels")));
    CpuLayer fc1 = (CpuLayer) m.layers().get(1);
    assertEquals(List.of(256L, 0L, 4L, 6L, 1L), List.of(fc1.u32("main_mem_in_address"),
        fc1.u32("main_mem_out_address"), fc1.u32("in_channels"), fc1.u32("out_channels"), fc1.u32("act")),
        "relu fused into FULLY_CONNECTED");
    assertEquals(6 * 4 + 6, fc1.tailFloats().length, "weights [6][4] then bias [6]");
    CpuLayer add = (CpuLayer) m.layers().get(3);
    assertEquals(List.of(0L, 24L, 48L, 6L), List.of(add.u32("main_mem_in_a_address"),
        add.u32("main_mem_in_b_address"), add.u32("main_mem_out_address"), add.u32("count")));
    CpuLayer sm = (CpuLayer) m.layers().get(4);
    assertEquals(List.of(48L, 0L, 6L), List.of(sm.u32("main_mem_in_address"), sm.u32("main_mem_out_address"),
        sm.u32("channels")));
    assertEquals(272, m.mainMemUsage());
    assertEquals(List.of(new dev.kbyoc.kendryte.format.KmodelOutput(0, 24)), m.outputs());
    NDArray in = input(r, 1, 4, 4, 4);
    NDArray want = new Interpreter(IRModule.fromMain(fn)).runFlat(Map.of("x", in)).get(0);
    NDArray got = new KmodelSimulator("kendryte_4", m, SimMode.UINT8).run(in).outputs().get(0);
    for (int i = 0; i < want.size(); i++) {
      assertEquals(want.getDouble(i), got.getDouble(i), 1e-6, "element " + i);
    }
  }

  /**
   * add(x, x) on the input (found by the build property tests): the float ADD cannot be the first
   * layer (kpu_run_kmodel feeds the first layer), so a float kmodel starts with an identity
   * QUANTIZE + DEQUANTIZE copy of the input; the uint8 one starts with QUANTIZE anyway.
   */
  @Test
  void addOfTheInputStartsWithALayerThatTakesTheInput() {
    Var x = new Var("x", TensorType.f32(1, 3));
    Function fn = InferType.run(IRModule.fromMain(new Function(List.of(x), Call.op("add", x, x)))).main();
    NDArray in = NDArray.of(new float[] {0.25f, -0.5f, 0.75f}, 1, 3);
    Kmodel fm = KendryteCodegen.compile(fn, "kendryte_0", List.of(), QuantizeMode.FLOAT);
    assertEquals(List.of(LayerType.QUANTIZE, LayerType.DEQUANTIZE, LayerType.ADD), types(fm));
    NDArray got = new KmodelSimulator("kendryte_0", fm, SimMode.FLOAT).run(in).outputs().get(0);
    assertArrayEquals(new float[] {0.5f, -1f, 1.5f}, got.floatData());
    Kmodel qm = KendryteCodegen.compile(fn, "kendryte_0", List.of(in), QuantizeMode.UINT8);
    assertEquals(List.of(LayerType.QUANTIZE, LayerType.QUANTIZED_ADD, LayerType.DEQUANTIZE), types(qm));
  }

  /** QUANTIZED_ADD parameters against the real sum: every (qa, qb) pair within one output step. */
  @Test
  void quantizedAddMatchesTheRealSum() {
    QuantParam qa = new QuantParam(0.02, 30);
    QuantParam qb = new QuantParam(0.05, 200);
    QuantParam qo = new QuantParam(0.06, 170);
    int n = 256 * 256;
    int u8 = 4 * 2 * n;
    int sum = u8 + 2 * n;
    int f = sum + n;
    CpuLayer l = QuantLayerEmitter.quantizedAdd(u8, u8 + n, sum, n, qa, qb, qo);
    // Non-negative input offsets ka, kb (the SDK's carry shift is biased on negatives) and
    // out_offset = zo - ((ka + za) Sa + (kb + zb) Sb) / So, an integer up to rounding.
    int ka = l.i32("in_a_offset");
    int kb = l.i32("in_b_offset");
    assertTrue(ka >= 0 && kb >= 0, ka + ", " + kb);
    double c = 170 - ((ka + 30) * 0.02 + (kb + 200) * 0.05) / 0.06;
    assertEquals(c, l.i32("out_offset"), 1e-6);
    // U = 0.05 / 2^16: in_a_mul = 0.02 / U * 2^14 = 0.4 * 2^30, in_b_mul = 2^30, both shifts 14.
    assertEquals(Math.round(0.4 * (1 << 30)), l.i32("in_a_mul"));
    assertEquals(1 << 30, l.i32("in_b_mul"));
    assertEquals(14, l.i32("in_a_shift"));
    assertEquals(14, l.i32("in_b_shift"));
    // QUANTIZE with scale 1 and bias 0 turns the float input (integers) into the two uint8 operands;
    // DEQUANTIZE with scale 1 reads the sum's bytes back as float.
    QuantParam one = new QuantParam(1, 0);
    Kmodel m = Kmodel.of(true, 0, f + 4L * n, List.of(new dev.kbyoc.kendryte.format.KmodelOutput(f, 4L * n)),
        List.of(QuantLayerEmitter.quantize(0, u8, 2 * n, one), l, QuantLayerEmitter.dequantize(sum, f, n, one)));
    NDArray in = NDArray.zeros(DType.FLOAT32, 1, 2 * n);
    for (int a = 0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        in.setDouble(a * 256 + b, a);
        in.setDouble(n + a * 256 + b, b);
      }
    }
    NDArray got = new KmodelSimulator("qadd", m, SimMode.UINT8).run(in).outputs().get(0);
    for (int a = 0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        double real = (a - 30) * 0.02 + (b - 200) * 0.05;
        double exact = Math.max(0, Math.min(255, real / 0.06 + 170));
        assertEquals(exact, got.getDouble(a * 256 + b), 0.5 + 1e-4, "qa " + a + " qb " + b);
      }
    }
  }

  /** REQUANTIZE table values computed by hand: q -> round((q - 10) * 0.1 / 0.2 + 5), half up: 255 -> 127.5 -> 128. */
  @Test
  void requantizeTableByHand() {
    byte[] t = QuantLayerEmitter.table(new QuantParam(0.1, 10), new QuantParam(0.2, 5));
    assertEquals(0, t[0] & 0xFF);
    assertEquals(5, t[10] & 0xFF);
    assertEquals(6, t[11] & 0xFF);
    assertEquals(6, t[12] & 0xFF);
    assertEquals(128, t[255] & 0xFF);
  }

  @Test
  void multiInputRegionIsRejectedWithAReason() {
    Var a = new Var("a", TensorType.f32(1, 4, 8, 8));
    Var b = new Var("b", TensorType.f32(1, 4, 8, 8));
    Function two = InferType.run(IRModule.fromMain(new Function(List.of(a, b), Call.op("add", a, b)))).main();
    String why = KendryteCodegen.regionProblem(two);
    assertNotNull(why);
    assertTrue(why.contains("2 inputs") && why.contains("exactly one"), why);
    KbyocException e = assertThrows(KbyocException.class, () -> KendryteCodegen.compile(two, "kendryte_1", List.of(),
        QuantizeMode.UINT8));
    assertTrue(e.getMessage().startsWith("kendryte codegen: kendryte_1 has 2 inputs"), e.getMessage());
    assertNull(KendryteCodegen.regionProblem(dag(new SplittableRandom(1))));
    // In the partition flow the rejected region is inlined back: add and relu run on the host.
    Var x = new Var("x", TensorType.f32(1, 4, 8, 8));
    Expr sum = Call.op("add", Call.op("transpose", List.of(x), Attrs.of("axes", List.of(0L, 1L, 3L, 2L))),
        Call.op("sigmoid", x));
    IRModule mod = InferType.run(IRModule.fromMain(new Function(List.of(x), Call.op("nn.relu", sum))));
    IRModule part = dev.kbyoc.build.PartitionFlow.run(mod, Map.of(), dev.kbyoc.kendryte.backend.KendryteBackend.target());
    assertTrue(part.functions().values().stream().allMatch(f -> f.compiler() == null), part.toString());
    IRModule unchecked = dev.kbyoc.build.PartitionFlow.run(mod, Map.of(), dev.kbyoc.kendryte.KendryteTarget.target());
    assertTrue(unchecked.functions().values().stream().anyMatch(f -> "kendryte".equals(f.compiler())),
        "without the region check the two-input region stays: " + unchecked);
  }
}
