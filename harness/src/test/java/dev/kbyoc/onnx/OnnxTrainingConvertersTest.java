package dev.kbyoc.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.Interpreter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Training-mode Dropout and BatchNormalization, batched MatMul and Reshape's allowzero, on small
 * models with hand-computed outputs. numpy's values are the widely quoted ones of
 * {@code np.random.seed(0); np.random.rand(6)}.
 */
class OnnxTrainingConvertersTest {
  private static List<NDArray> run(OnnxModel m, Map<String, NDArray> inputs) {
    Map<String, NDArray> feed = new HashMap<>(m.params());
    feed.putAll(inputs);
    return new Interpreter(m.module()).runFlat(feed);
  }

  @Test
  void numpyRandomReproducesNumpysSeedZeroSequence() {
    NumpyRandom r = new NumpyRandom(0);
    double[] expected = {0.5488135039273248, 0.7151893663724195, 0.6027633760716439, 0.5448831829968969,
        0.4236547993389047, 0.6458941130666561};
    for (double e : expected) {
      assertEquals(e, r.nextDouble());
    }
    // MT19937's reference: the first output for the default seed 5489 is 3499211612
    assertEquals(3499211612L, new NumpyRandom(5489).nextInt() & 0xFFFFFFFFL);
  }

  @Test
  void trainingDropoutKeepsWhereUniformIsAtLeastTheRatioAndScales() {
    OnnxModel m = OnnxBuilder.create().opset(13).input("x", 6).output("y", 6).output("mask", 6)
        .initializer("r", NDArray.scalar(0.5f))
        .initializer("t", NDArray.ofBytes(DType.BOOL, new byte[] {1}))
        .node("Dropout", "d", new String[] {"x", "r", "t"}, new String[] {"y", "mask"}, "seed", 0L).load();
    List<NDArray> out = run(m, Map.of("x", NDArray.of(new float[] {1, 2, 3, 4, 5, 6}, 6)));
    // uniforms 0.549 0.715 0.603 0.545 0.424 0.646: only the fifth is below 0.5; kept values times 1 / (1 - 0.5)
    assertArrayEquals(new float[] {2, 4, 6, 8, 0, 12}, out.get(0).floatData());
    assertArrayEquals(new byte[] {1, 1, 1, 1, 0, 1}, out.get(1).byteData());
  }

  @Test
  void trainingBatchNormUsesBatchStatisticsAndUpdatesRunningOnes() {
    OnnxModel m = OnnxBuilder.create().opset(15).input("x", 2, 1, 1, 2).output("y", 2, 1, 1, 2)
        .output("rm", 1).output("rv", 1)
        .initializer("s", NDArray.of(new float[] {2}, 1)).initializer("b", NDArray.of(new float[] {1}, 1))
        .initializer("mean", NDArray.of(new float[] {0}, 1)).initializer("var", NDArray.of(new float[] {1}, 1))
        .node("BatchNormalization", "bn", new String[] {"x", "s", "b", "mean", "var"}, new String[] {"y", "rm", "rv"},
            "training_mode", 1L, "epsilon", 0f).load();
    List<NDArray> out = run(m, Map.of("x", NDArray.of(new float[] {1, 3, 5, 7}, 2, 1, 1, 2)));
    // batch mean 4, population variance (9 + 1 + 1 + 9) / 4 = 5
    double sd = Math.sqrt(5);
    float[] y = out.get(0).floatData();
    float[] x = {1, 3, 5, 7};
    for (int i = 0; i < 4; i++) {
      assertEquals((x[i] - 4) / sd * 2 + 1, y[i], 1e-6);
    }
    assertEquals(0.9 * 0 + 0.1 * 4, out.get(1).getDouble(0), 1e-6);
    assertEquals(0.9 * 1 + 0.1 * 5, out.get(2).getDouble(0), 1e-6);
  }

  @Test
  void batchedMatMulAndOneDimensionalOperands() {
    OnnxModel m = OnnxBuilder.create().input("a", 2, 1, 2).input("b", 2, 2, 1).output("y", 2, 1, 1)
        .node("MatMul", "mm", new String[] {"a", "b"}, new String[] {"y"}).load();
    List<NDArray> out = run(m, Map.of("a", NDArray.of(new float[] {1, 2, 5, 6}, 2, 1, 2),
        "b", NDArray.of(new float[] {3, 4, 7, 8}, 2, 2, 1)));
    assertArrayEquals(new float[] {1 * 3 + 2 * 4, 5 * 7 + 6 * 8}, out.get(0).floatData());
    // a 1-D left operand broadcasts over b's batch; its unit row is dropped: [2] x [2, 2, 1] -> [2, 1]
    OnnxModel v = OnnxBuilder.create().input("a", 2).input("b", 2, 2, 1).output("y", 2, 1)
        .node("MatMul", "mm", new String[] {"a", "b"}, new String[] {"y"}).load();
    NDArray y = run(v, Map.of("a", NDArray.of(new float[] {1, 2}, 2), "b", NDArray.of(new float[] {3, 4, 7, 8}, 2, 2, 1))).get(0);
    assertArrayEquals(new int[] {2, 1}, y.shape());
    assertArrayEquals(new float[] {11, 23}, y.floatData());
  }

  @Test
  void reshapeAllowZeroKeepsALiteralZeroDim() {
    OnnxModel m = OnnxBuilder.create().opset(14).input("x", 0, 3).output("y", 3, 0)
        .initializer("s", NDArray.ofInt64(new long[] {3, 0}, 2))
        .node("Reshape", "r", new String[] {"x", "s"}, new String[] {"y"}, "allowzero", 1L).load();
    NDArray y = run(m, Map.of("x", NDArray.zeros(DType.FLOAT32, 0, 3))).get(0);
    assertArrayEquals(new int[] {3, 0}, y.shape());
  }
}
