package dev.kbyoc.op;

import static dev.kbyoc.op.OpTester.assertClose;
import static dev.kbyoc.op.OpTester.f32;
import static dev.kbyoc.op.OpTester.iota;
import static dev.kbyoc.op.OpTester.rejects;
import static dev.kbyoc.op.OpTester.run;
import static dev.kbyoc.op.OpTester.run1;
import static dev.kbyoc.op.OpTester.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.TupleType;
import dev.kbyoc.ir.TupleValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class NnOpsTest {
  private static final Attrs NONE = Attrs.empty();

  @Test
  void denseMultipliesByTransposedWeight() {
    // x = [[1, 2, 3], [4, 5, 6]], w = [[1, 0, -1], [0.5, 0.5, 0.5]]
    // row 0: [1 - 3, 0.5 * 6] = [-2, 3]; row 1: [4 - 6, 0.5 * 15] = [-2, 7.5]
    NDArray w = f32(shape(2, 3), 1, 0, -1, 0.5, 0.5, 0.5);
    assertClose(new double[] {-2, 3, -2, 7.5}, run1("nn.dense", Attrs.of("units", 2), iota(2, 3), w), 2, 2);
    // leading batch dims are kept: (2, 1, 3) -> (2, 1, 2)
    assertClose(new double[] {-2, 3, -2, 7.5}, run1("nn.dense", NONE, iota(2, 1, 3), w), 2, 1, 2);
  }

  @Test
  void denseWithEmptyReductionGivesZeros() {
    NDArray y = run1("nn.dense", NONE, NDArray.zeros(dev.kbyoc.ir.DType.FLOAT32, 2, 0), NDArray.zeros(dev.kbyoc.ir.DType.FLOAT32, 3, 0));
    assertClose(new double[6], y, 2, 3);
  }

  @Test
  void denseRejectsMismatchedReduction() {
    rejects("nn.dense", NONE, List.of("last dim 3", "(2, 4)"), TensorType.f32(5, 3), TensorType.f32(2, 4));
    rejects("nn.dense", Attrs.of("units", 3), List.of("units=3", "(2, 3)"), TensorType.f32(5, 3), TensorType.f32(2, 3));
    rejects("nn.dense", NONE, List.of("weight rank 2"), TensorType.f32(5, 3), TensorType.f32(3));
  }

  @Test
  void biasAddAlongChannelAndLastAxis() {
    // (1, 2, 1, 2) = [[[[1, 2]], [[3, 4]]]] + bias [10, 20] on axis 1
    assertClose(new double[] {11, 12, 23, 24}, run1("nn.bias_add", NONE, iota(1, 2, 1, 2), f32(shape(2), 10, 20)), 1, 2, 1, 2);
    // (2, 3) + [100, 200, 300] on axis -1
    assertClose(new double[] {101, 202, 303, 104, 205, 306},
        run1("nn.bias_add", Attrs.of("axis", -1), iota(2, 3), f32(shape(3), 100, 200, 300)), 2, 3);
    rejects("nn.bias_add", NONE, List.of("bias", "(2,)", "(3,)"), TensorType.f32(1, 2, 4, 4), TensorType.f32(3));
    rejects("nn.bias_add", Attrs.of("axis", 4), List.of("axis 4 out of range for rank 4"), TensorType.f32(1, 2, 4, 4),
        TensorType.f32(2));
  }

  @Test
  void batchNormReturnsTripleInInferenceSemantics() {
    // channel 0: mean 1, var 4 (sd 2), gamma 2, beta 0 -> (x - 1) / 2 * 2: x = 1 -> 0, x = 3 -> 2
    // channel 1: mean 4, var 0.25 (sd 0.5), gamma 1, beta 1 -> (x - 4) / 0.5 + 1: x = 3 -> -1, x = 5 -> 3
    NDArray x = f32(shape(1, 2, 1, 2), 1, 3, 3, 5);
    NDArray gamma = f32(shape(2), 2, 1);
    NDArray beta = f32(shape(2), 0, 1);
    NDArray mean = f32(shape(2), 1, 4);
    NDArray var = f32(shape(2), 4, 0.25);
    TupleValue out = (TupleValue) run("nn.batch_norm", Attrs.of("epsilon", 0.0), x, gamma, beta, mean, var);
    assertEquals(3, out.fields().size());
    assertClose(new double[] {0, 2, -1, 3}, out.get(0).asTensor(), 1, 2, 1, 2);
    assertEquals(mean, out.get(1));
    assertEquals(var, out.get(2));
    // without scale and center: only normalised, (x - mean) / sd
    TupleValue plain = (TupleValue) run("nn.batch_norm", Attrs.of("epsilon", 0.0, "center", false, "scale", false),
        x, gamma, beta, mean, var);
    assertClose(new double[] {0, 1, -2, 2}, plain.get(0).asTensor(), 1, 2, 1, 2);
    // default epsilon 1e-5: channel 0, x = 3 -> 2 * 2 / sqrt(4.00001) = 1.99999750 exactly; float32
    // is evaluated as TVM's SimplifyInference form, one float operation per step:
    // scale = 1 / sqrt(4 + 1e-5f) * 2, shift = -1 * scale, y = 3 * scale + shift: 1 ulp above
    TupleValue eps = (TupleValue) run("nn.batch_norm", NONE, x, gamma, beta, mean, var);
    float scale = 1f / (float) Math.sqrt(4f + 1e-5f) * 2f;
    float shift = -1f * scale;
    float y = 3f * scale + shift;
    assertEquals(y, (float) eps.get(0).asTensor().getDouble(1));
    assertEquals(1.9999975, eps.get(0).asTensor().getDouble(1), 0x1p-22);
  }

  @Test
  void batchNormTypeIsTupleAndChecksParams() {
    TensorType v = TensorType.f32(3);
    assertEquals(TupleType.of(TensorType.f32(2, 5, 3), v, v),
        OpTester.infer("nn.batch_norm", Attrs.of("axis", -1), TensorType.f32(2, 5, 3), v, v, v, v));
    rejects("nn.batch_norm", NONE, List.of("moving_var", "(3,)", "(4,)"), TensorType.f32(1, 3, 2, 2), v, v, v,
        TensorType.f32(4));
    rejects("nn.batch_norm", NONE, List.of("expects 5 arguments, got 2"), TensorType.f32(1, 3, 2, 2), v);
  }

  @Test
  void softmaxAlongAxes() {
    // exp(1, 2, 3) / sum = [0.09003057, 0.24472847, 0.66524096]
    assertClose(new double[] {0.09003057, 0.24472847, 0.66524096}, run1("nn.softmax", NONE, iota(3)), 3);
    // rows [0, 1]: e^0 / (1 + e) = 0.26894142; along axis 0 equal columns give 0.5
    NDArray x = f32(shape(2, 2), 0, 1, 0, 1);
    assertClose(new double[] {0.26894142, 0.73105858, 0.26894142, 0.73105858}, run1("nn.softmax", NONE, x), 2, 2);
    assertClose(new double[] {0.5, 0.5, 0.5, 0.5}, run1("nn.softmax", Attrs.of("axis", 0), x), 2, 2);
    // large inputs do not overflow
    assertClose(new double[] {0.5, 0.5}, run1("nn.softmax", NONE, f32(shape(2), 1000, 1000)), 2);
    rejects("nn.softmax", Attrs.of("axis", 2), List.of("axis 2 out of range for rank 2"), TensorType.f32(2, 2));
  }

  @Test
  void batchFlattenKeepsBatchAndOrder() {
    NDArray y = run1("nn.batch_flatten", NONE, iota(2, 3, 2));
    assertClose(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, y, 2, 6);
    assertEquals(TensorType.f32(4, 1), OpTester.infer("nn.batch_flatten", NONE, TensorType.f32(4)));
    assertEquals(TensorType.f32(0, 6), OpTester.infer("nn.batch_flatten", NONE, TensorType.f32(0, 2, 3)));
    rejects("nn.batch_flatten", NONE, List.of("rank >= 1"), TensorType.f32());
  }

  @Test
  void dropoutIsIdentityPairAtInference() {
    TupleValue out = (TupleValue) run("nn.dropout", Attrs.of("rate", 0.3), f32(shape(2), -1, 2));
    assertClose(new double[] {-1, 2}, out.get(0).asTensor(), 2);
    assertClose(new double[] {1, 1}, out.get(1).asTensor(), 2);
    rejects("nn.dropout", Attrs.of("rate", 1.5), List.of("rate", "1.5"), TensorType.f32(2));
  }

  @Test
  void batchMatmulTransposesBAndBroadcastsAUnitBatch() {
    // x [[1 2], [3 4]] (one batch), y two batches of [[1 0], [0 1]] and [[0 1], [1 0]] as [N, K]
    NDArray x = iota(1, 2, 2);
    NDArray y = f32(shape(2, 2, 2), 1, 0, 0, 1, 0, 1, 1, 0);
    // default transpose_b: out[b] = x @ y[b]^T -> identity, then the column swap
    assertClose(new double[] {1, 2, 3, 4, 2, 1, 4, 3}, run1("nn.batch_matmul", Attrs.empty(), x, y), 2, 2, 2);
    // transpose_a: x^T = [[1 3], [2 4]]; without transpose_b y[1] is [K, N] = [[0 1], [1 0]]
    NDArray t = run1("nn.batch_matmul", Attrs.of("transpose_a", true, "transpose_b", false), x, y);
    assertClose(new double[] {1, 3, 2, 4, 3, 1, 4, 2}, t, 2, 2, 2);
    rejects("nn.batch_matmul", Attrs.empty(), List.of("reduction dims differ"), TensorType.f32(1, 2, 3), TensorType.f32(1, 2, 2));
    rejects("nn.batch_matmul", Attrs.empty(), List.of("neither is 1"), TensorType.f32(2, 2, 2), TensorType.f32(3, 2, 2));
  }
}
