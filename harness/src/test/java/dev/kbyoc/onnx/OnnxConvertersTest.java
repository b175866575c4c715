package dev.kbyoc.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.runtime.Interpreter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Converter conventions checked against hand-computed attributes and values. */
class OnnxConvertersTest {
  private static Call onlyCall(OnnxModel m, String op) {
    List<Call> calls = PostOrder.of(m.module().main().body()).stream()
        .filter(e -> e instanceof Call c && c.isOp(op)).map(e -> (Call) e).toList();
    assertEquals(1, calls.size(), "expected one " + op);
    return calls.get(0);
  }

  private static float[] run(OnnxModel m, String input, NDArray value) {
    Map<String, NDArray> feed = new HashMap<>(m.params());
    feed.put(input, value);
    return new Interpreter(m.module()).runFlat(feed).get(0).floatData();
  }

  private static OnnxModel convSame(String mode) {
    return OnnxBuilder.create().input("x", 1, 1, 4, 4).output("y", 1, 1, 2, 2)
        .initializer("w", NDArray.of(new float[9], 1, 1, 3, 3))
        .node("Conv", "c", new String[] {"x", "w"}, new String[] {"y"},
            "auto_pad", mode, "strides", new long[] {2, 2}).load();
  }

  @Test
  void sameAutoPadPutsTheOddPixelAtTheEndForUpperAndTheStartForLower() {
    // in 4, kernel 3, stride 2: out = ceil(4/2) = 2, total pad = (2-1)*2 + 3 - 4 = 1
    assertEquals(List.of(0L, 0L, 1L, 1L), onlyCall(convSame("SAME_UPPER"), "nn.conv2d").attrs().get("padding"));
    assertEquals(List.of(1L, 1L, 0L, 0L), onlyCall(convSame("SAME_LOWER"), "nn.conv2d").attrs().get("padding"));
    Call c = onlyCall(convSame("VALID"), "nn.conv2d");
    assertEquals(List.of(2L, 2L), c.fullAttrs().get("strides"));
    assertEquals("Tensor[(1, 1, 1, 1), float32]", c.checkedType().toRelay());
  }

  @Test
  void convBiasBecomesBiasAddAndWeightsStayParams() {
    OnnxModel m = OnnxBuilder.create().input("x", 1, 2, 3, 3).output("y", 1, 4, 3, 3)
        .initializer("w", NDArray.of(new float[4 * 2 * 9], 4, 2, 3, 3))
        .initializer("b", NDArray.of(new float[] {1, 2, 3, 4}, 4))
        .node("Conv", "c", new String[] {"x", "w", "b"}, new String[] {"y"}, "pads", new long[] {1, 1, 1, 1}).load();
    Expr body = m.module().main().body();
    assertEquals(true, body instanceof Call c && c.isOp("nn.bias_add"));
    assertEquals(4L, onlyCall(m, "nn.conv2d").attrs().get("channels"));
    assertEquals(List.of("w", "b"), List.copyOf(m.params().keySet()));
  }

  @Test
  void softmaxBeforeOpset13NormalisesOverAllAxesFromAxis() {
    OnnxModel m = OnnxBuilder.create().opset(11).input("x", 2, 2, 2).output("y", 2, 2, 2)
        .node("Softmax", "s", new String[] {"x"}, new String[] {"y"}, "axis", 1L).load();
    float[] x = {0, 1, 2, 3, 0, 0, 0, 0};
    float[] y = run(m, "x", NDArray.of(x, 2, 2, 2));
    double sum = Math.exp(0) + Math.exp(1) + Math.exp(2) + Math.exp(3);
    for (int i = 0; i < 4; i++) {
      assertEquals(Math.exp(i) / sum, y[i], 1e-6, "row 0 element " + i);
      assertEquals(0.25, y[4 + i], 1e-6, "row 1 element " + i);
    }
  }

  @Test
  void softmaxFromOpset13UsesOnlyItsAxis() {
    OnnxModel m = OnnxBuilder.create().opset(13).input("x", 2, 2).output("y", 2, 2)
        .node("Softmax", "s", new String[] {"x"}, new String[] {"y"}, "axis", 0L).load();
    float[] y = run(m, "x", NDArray.of(new float[] {0, 5, 0, 5}, 2, 2));
    assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, y, 1e-6f);
  }

  @Test
  void legacyBroadcastAxisAlignsTheSecondOperandAtThatAxis() {
    OnnxModel m = OnnxBuilder.create().opset(6).input("a", 2, 3, 2).output("y", 2, 3, 2)
        .initializer("b", NDArray.of(new float[] {10, 20, 30}, 3))
        .node("Add", "add", new String[] {"a", "b"}, new String[] {"y"}, "broadcast", 1L, "axis", 1L).load();
    float[] y = run(m, "a", NDArray.of(new float[12], 2, 3, 2));
    assertArrayEquals(new float[] {10, 10, 20, 20, 30, 30, 10, 10, 20, 20, 30, 30}, y);
  }

  @Test
  void gemmAppliesTransposesAlphaAndBeta() {
    // A^T = [[1, 2]] (A is 2x1), B = [[1, 0, 2], [0, 1, 3]] (transB = 0), C = [1, 1, 1]
    // y = 2 * A^T B + 3 * C = 2 * [1, 2, 8] + 3 = [5, 7, 19]
    OnnxModel m = OnnxBuilder.create().input("a", 2, 1).output("y", 1, 3)
        .initializer("B", NDArray.of(new float[] {1, 0, 2, 0, 1, 3}, 2, 3))
        .initializer("C", NDArray.of(new float[] {1, 1, 1}, 3))
        .node("Gemm", "g", new String[] {"a", "B", "C"}, new String[] {"y"},
            "transA", 1L, "alpha", 2.0, "beta", 3.0).load();
    assertArrayEquals(new float[] {5, 7, 19}, run(m, "a", NDArray.of(new float[] {1, 2}, 2, 1)));
  }

  @Test
  void reshapeResolvesZeroAndMinusOneAtImport() {
    OnnxModel m = OnnxBuilder.create().input("x", 2, 3, 4).output("y", 2, 12)
        .initializer("s", NDArray.ofInt64(new long[] {0, -1}, 2))
        .node("Reshape", "r", new String[] {"x", "s"}, new String[] {"y"}).load();
    assertEquals(List.of(2L, 12L), onlyCall(m, "reshape").attrs().get("newshape"));
    assertEquals(List.of("x"), m.module().main().params().stream().map(v -> v.name()).toList());
  }

  @Test
  void unsqueezeWithUnsortedAxesInsertsInAscendingOrder() {
    OnnxModel m = OnnxBuilder.create().input("x", 3, 4).output("y", 1, 3, 1, 4)
        .initializer("axes", NDArray.ofInt64(new long[] {2, 0}, 2))
        .node("Unsqueeze", "u", new String[] {"x", "axes"}, new String[] {"y"}).load();
    assertEquals("Tensor[(1, 3, 1, 4), float32]", m.module().main().body().checkedType().toRelay());
  }

  @Test
  void clipInputFormReadsConstantBoundsAndAttributeFormBeforeOpset11() {
    OnnxModel in = OnnxBuilder.create().opset(13).input("x", 4).output("y", 4)
        .initializer("lo", NDArray.scalar(-1f)).initializer("hi", NDArray.scalar(2f))
        .node("Clip", "c", new String[] {"x", "lo", "hi"}, new String[] {"y"}).load();
    OnnxModel attr = OnnxBuilder.create().opset(9).input("x", 4).output("y", 4)
        .node("Clip", "c", new String[] {"x"}, new String[] {"y"}, "min", -1.0, "max", 2.0).load();
    NDArray x = NDArray.of(new float[] {-5, 0, 1.5f, 7}, 4);
    assertArrayEquals(new float[] {-1, 0, 1.5f, 2}, run(in, "x", x));
    assertArrayEquals(new float[] {-1, 0, 1.5f, 2}, run(attr, "x", x));
  }

  @Test
  void resizeWithAFractionalScaleKeepsTheScaleAndMapsCubicAttributes() {
    OnnxModel m = OnnxBuilder.create().opset(13).input("x", 1, 1, 2, 4).output("y", 1, 1, 1, 2)
        .initializer("roi", NDArray.of(new float[0], 0))
        .initializer("scales", NDArray.of(new float[] {1, 1, 0.6f, 0.6f}, 4))
        .node("Resize", "r", new String[] {"x", "roi", "scales"}, new String[] {"y"}, "mode", "cubic",
            "exclude_outside", 1L).load();
    Call c = onlyCall(m, "image.resize2d");
    // floor(2 * 0.6) = 1, floor(4 * 0.6) = 2; the fractional sizes keep ONNX's scales for the coordinates
    assertEquals(List.of(1L, 2L), c.attrs().get("size"));
    assertEquals(List.of((double) 0.6f, (double) 0.6f), c.attrs().get("scale"));
    assertEquals("cubic", c.attrs().get("method"));
    assertEquals(-0.75, (double) c.fullAttrs().get("cubic_alpha"), 1e-9); // ONNX's default, not TVM's -0.5
    assertEquals(1L, c.fullAttrs().get("cubic_exclude"));
  }

  @Test
  void maxPoolIndicesOutputUsesTheArgmaxOp() {
    OnnxModel m = OnnxBuilder.create().input("x", 1, 1, 2, 3).output("y", 1, 1, 1, 2).output("i", 1, 1, 1, 2)
        .node("MaxPool", "p", new String[] {"x"}, new String[] {"y", "i"}, "kernel_shape", new long[] {2, 2}).load();
    Map<String, NDArray> feed = new HashMap<>(m.params());
    feed.put("x", NDArray.of(new float[] {1, 5, 2, 7, 0, 7}, 1, 1, 2, 3));
    List<NDArray> out = new Interpreter(m.module()).runFlat(feed);
    assertArrayEquals(new float[] {7, 7}, out.get(0).floatData());
    assertArrayEquals(new long[] {3, 5}, out.get(1).longData()); // (1, 0) and (1, 2) in the 2x3 plane
  }
}
