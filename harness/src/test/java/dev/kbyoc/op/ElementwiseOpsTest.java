package dev.kbyoc.op;

import static dev.kbyoc.op.OpTester.assertClose;
import static dev.kbyoc.op.OpTester.f32;
import static dev.kbyoc.op.OpTester.rejects;
import static dev.kbyoc.op.OpTester.run1;
import static dev.kbyoc.op.OpTester.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

class ElementwiseOpsTest {
  private static final Attrs NONE = Attrs.empty();

  @Test
  void subtractBroadcastsRowAgainstColumn() {
    // [[1, 2, 3]] - [[10], [20]] = [[1-10, 2-10, 3-10], [1-20, 2-20, 3-20]]
    NDArray y = run1("subtract", NONE, f32(shape(1, 3), 1, 2, 3), f32(shape(2, 1), 10, 20));
    assertClose(new double[] {-9, -8, -7, -19, -18, -17}, y, 2, 3);
  }

  @Test
  void scalarBroadcastsAgainstTensor() {
    // 2 ^ [0, 1, 3] and [0, 1, 3] / 2 with a rank-0 operand
    NDArray two = NDArray.scalar(2f);
    assertClose(new double[] {1, 2, 8}, run1("power", NONE, two, f32(shape(3), 0, 1, 3)), 3);
    assertClose(new double[] {0, 0.5, 1.5}, run1("divide", NONE, f32(shape(3), 0, 1, 3), two), 3);
  }

  /** Every binary op against a loop that indexes both operands explicitly (a: [2,1,3], b: [4,1]). */
  @Test
  void allBinaryOpsBroadcastRank3AgainstRank2() {
    Map<String, DoubleBinaryOperator> ops = Map.of(
        "add", (p, q) -> p + q, "subtract", (p, q) -> p - q, "multiply", (p, q) -> p * q,
        "divide", (p, q) -> p / q, "maximum", Math::max, "minimum", Math::min,
        "power", (p, q) -> Math.pow(Math.abs(p) + 0.5, q));
    Random r = new Random(7);
    NDArray a = OpTester.random(r, 2, 1, 3);
    NDArray b = OpTester.random(r, 4, 1);
    NDArray pa = ElementwiseOps.map(a, v -> Math.abs(v) + 0.5);
    ops.forEach((name, f) -> {
      NDArray lhs = name.equals("power") ? pa : a;
      NDArray y = run1(name, NONE, lhs, b);
      double[] want = new double[2 * 4 * 3];
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 4; j++) {
          for (int k = 0; k < 3; k++) {
            double av = a.floatData()[i * 3 + k];
            double bv = b.floatData()[j];
            want[(i * 4 + j) * 3 + k] = (float) f.applyAsDouble(av, bv);
          }
        }
      }
      assertClose(shape(2, 4, 3), want, y, 1e-6);
    });
  }

  @Test
  void incompatibleShapesAreRejected() {
    rejects("add", NONE, List.of("[2, 3]", "[4]", "do not broadcast"), TensorType.f32(2, 3), TensorType.f32(4));
    rejects("multiply", NONE, List.of("dtypes differ"), TensorType.f32(3), TensorType.of(DType.INT32, 3));
  }

  @Test
  void unaryMathAgainstHandValues() {
    NDArray x = f32(shape(3), 0, 1, 4);
    assertClose(new double[] {1, Math.E, 54.598150033}, run1("exp", NONE, x), 3);
    assertClose(new double[] {Double.NEGATIVE_INFINITY, 0, 1.386294361}, run1("log", NONE, x), 3);
    assertClose(new double[] {0, 1, 2}, run1("sqrt", NONE, x), 3);
    // sigmoid(1) = 1 / (1 + e^-1) = 0.7310586, sigmoid(4) = 0.98201376
    assertClose(new double[] {0.5, 0.7310586, 0.98201376}, run1("sigmoid", NONE, x), 3);
    // tanh(1) = 0.7615942, tanh(4) = 0.9993293
    assertClose(new double[] {0, 0.7615942, 0.9993293}, run1("tanh", NONE, x), 3);
    NDArray s = f32(shape(4), -3, -0.5, 0, 2);
    assertClose(new double[] {3, 0.5, 0, 2}, run1("abs", NONE, s), 4);
    assertClose(new double[] {3, 0.5, 0, -2}, run1("negative", NONE, s), 4);
    assertClose(new double[] {0, 0, 0, 2}, run1("nn.relu", NONE, s), 4);
  }

  @Test
  void leakyReluUsesAlphaDefaultQuarter() {
    NDArray x = f32(shape(3), -4, 0, 2);
    assertClose(new double[] {-1, 0, 2}, run1("nn.leaky_relu", NONE, x), 3);
    assertClose(new double[] {-0.4, 0, 2}, run1("nn.leaky_relu", Attrs.of("alpha", 0.1), x), 3);
    rejects("nn.leaky_relu", Attrs.of("alpha", -1.0), List.of("alpha", ">= 0"), TensorType.f32(2));
  }

  @Test
  void clipBoundsBothSides() {
    NDArray y = run1("clip", Attrs.of("a_min", -1.0, "a_max", 2.0), f32(shape(5), -5, -1, 0, 1.5, 3));
    assertClose(new double[] {-1, -1, 0, 1.5, 2}, y, 5);
    rejects("clip", Attrs.of("a_min", 0.0), List.of("a_max"), TensorType.f32(2));
    rejects("clip", Attrs.of("a_min", 3.0, "a_max", 1.0), List.of("a_min [3.0]", "a_max [1.0]"), TensorType.f32(2));
  }

  @Test
  void castTruncatesTowardZeroAndWraps() {
    NDArray y = run1("cast", Attrs.of("dtype", "int8"), f32(shape(4), 1.7, -1.7, 127, 130));
    assertEquals(DType.INT8, y.dtype());
    // 130 does not fit int8: wraps to 130 - 256 = -126
    assertArrayEquals(new byte[] {1, -1, 127, -126}, y.byteData());
    NDArray back = run1("cast", Attrs.of("dtype", "float32"), NDArray.ofInt32(new int[] {-3, 5}, 2));
    assertArrayEquals(new float[] {-3f, 5f}, back.floatData());
    NDArray half = run1("cast", Attrs.of("dtype", "float16"), f32(shape(2), 0.1, 70000));
    assertEquals(DType.FLOAT16, half.dtype());
    assertEquals(0.0999755859375, half.getDouble(0)); // nearest float16 (bits 0x2E66)
    assertEquals(Double.POSITIVE_INFINITY, half.getDouble(1)); // beyond 65504 rounds to infinity
    rejects("cast", Attrs.of("dtype", "float8"), List.of("float8"), TensorType.f32(1));
  }

  @Test
  void transcendentalOpsRejectIntegers() {
    rejects("exp", NONE, List.of("float32", "int32"), TensorType.of(DType.INT32, 2));
  }
}
