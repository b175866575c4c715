package dev.kbyoc.kendryte.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.format.K210ConvLayer;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.format.KmodelReader;
import dev.kbyoc.kendryte.format.KmodelWriter;
import dev.kbyoc.kendryte.format.KpuField;
import dev.kbyoc.kendryte.sim.SimMode;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.verify.TolerancePolicy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The float variant of the {@link KendryteCodegenTest} CNN: header flags bit 1, weights that are
 * the Relay constants' bytes, the same registers as the uint8 kmodel apart from the quantization
 * fields, a byte-identical round trip, and float-mode results within float-tight of the
 * interpreter.
 */
class FloatKmodelTest {
  private static List<Constant> convWeights(Function fn) {
    List<Constant> r = new ArrayList<>();
    dev.kbyoc.ir.Expr e = fn.body();
    List<dev.kbyoc.ir.Expr> stack = new ArrayList<>(List.of(e));
    while (!stack.isEmpty()) {
      dev.kbyoc.ir.Expr x = stack.remove(stack.size() - 1);
      if (x instanceof Call c) {
        if (c.isOp("nn.conv2d")) {
          r.add(0, (Constant) c.arg(1));
        }
        stack.addAll(c.args());
      } else if (x instanceof dev.kbyoc.ir.TupleGetItem t) {
        stack.add(t.tuple());
      }
    }
    return r;
  }

  private static byte[] littleEndian(NDArray a) {
    ByteBuffer b = ByteBuffer.allocate(4 * a.size()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < a.size(); i++) {
      b.putFloat((float) a.getDouble(i));
    }
    return b.array();
  }

  @Test
  void floatVariantHoldsTheRelayWeightsAndMatchesTheInterpreter() {
    SplittableRandom r = new SplittableRandom(KendryteCodegenTest.SEED);
    Function fn = KendryteCodegenTest.cnn(r, 16, 20);
    Kmodel fm = KendryteCodegen.compile(fn, "kendryte_0", List.of(), QuantizeMode.FLOAT);
    Kmodel qm = KendryteCodegen.compile(fn, "kendryte_0", List.of(), QuantizeMode.UINT8);
    assertEquals(Kmodel.FLAG_FLOAT, fm.flags());
    byte[] bytes = KmodelWriter.write(fm);
    assertEquals(2, bytes[4], "header flags byte");
    Kmodel back = KmodelReader.read("f.kmodel", bytes);
    assertArrayEquals(bytes, KmodelWriter.write(back));
    assertEquals(qm.layers().size(), back.layers().size());
    List<Constant> ws = convWeights(fn);
    int conv = 0;
    for (int i = 0; i < back.layers().size(); i++) {
      assertEquals(qm.layers().get(i).type(), back.layers().get(i).type());
      if (back.layers().get(i) instanceof K210ConvLayer c) {
        K210ConvLayer q = (K210ConvLayer) qm.layers().get(i);
        assertArrayEquals(littleEndian(ws.get(conv).data()), c.weightBytes(), "conv " + conv + " weight bytes");
        for (KpuField f : KpuField.values()) {
          boolean quantField = switch (f) {
            case PAD_VALUE, ARG_X, SHR_X, ARG_W, SHR_W, ARG_ADD -> true;
            default -> false;
          };
          assertEquals(quantField ? 0 : q.argument().get(f), c.argument().get(f), "conv " + conv + " " + f);
        }
        conv++;
      }
    }
    assertEquals(3, conv);
    KmodelFunction kf = KmodelFunction.load("kendryte_0", bytes);
    assertEquals(QuantizeMode.FLOAT, kf.quantizeMode());
    Interpreter ref = new Interpreter(IRModule.fromMain(fn));
    for (int t = 0; t < 3; t++) {
      NDArray in = KendryteCodegenTest.input(r, 16, 20);
      NDArray want = ref.runFlat(Map.of("x", in)).get(0);
      List<NDArray> got = kf.run(List.of(in), SimMode.FLOAT);
      assertNull(TolerancePolicy.FLOAT_TIGHT.compare("interpreter", List.of(want), "float kmodel", got));
    }
    KbyocException e = assertThrows(KbyocException.class, () -> kf.run(List.of(KendryteCodegenTest.input(r, 16, 20)),
        SimMode.UINT8));
    assertTrue(e.getMessage().contains("runs only in float mode"), e.getMessage());
  }

  @Test
  void readerRejectsFloatAndEightBitFlagsTogether() {
    Function fn = KendryteCodegenTest.cnn(new SplittableRandom(3), 8, 8);
    byte[] bytes = KendryteCodegen.compileBytes(fn, "k", List.of(), QuantizeMode.FLOAT);
    bytes[4] = 3;
    KbyocException e = assertThrows(KbyocException.class, () -> KmodelReader.read("bad.kmodel", bytes));
    assertEquals("kmodel bad.kmodel: header at offset 4: flags 3 set both bit 0 (8-bit weights) and bit 1"
        + " (kbyoc float32 weights)", e.getMessage());
  }
}
