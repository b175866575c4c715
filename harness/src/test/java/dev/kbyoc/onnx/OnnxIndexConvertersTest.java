package dev.kbyoc.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Var;
import dev.kbyoc.runtime.Interpreter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gather, Slice and the ReduceSum/Max/Min converters on small models with hand-computed outputs. */
class OnnxIndexConvertersTest {
  private static NDArray run(OnnxModel m, NDArray x) {
    Map<String, NDArray> feed = new HashMap<>(m.params());
    feed.put("x", x);
    return new Interpreter(m.module()).runFlat(feed).get(0);
  }

  private static final NDArray X = NDArray.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3); // [[1 2 3], [4 5 6]]

  @Test
  void gatherTakesRuntimeDataWithNegativeIndices() {
    OnnxModel m = OnnxBuilder.create().opset(13).input("x", 2, 3).output("y", 2, 2)
        .initializer("i", NDArray.ofInt64(new long[] {-1, 0}, 2))
        .node("Gather", "g", new String[] {"x", "i"}, new String[] {"y"}, "axis", 1L).load();
    assertArrayEquals(new float[] {3, 1, 6, 4}, run(m, X).floatData());
    byte[] bad = OnnxBuilder.create().opset(13).input("x", 2, 3).output("y", 2, 1)
        .initializer("i", NDArray.ofInt64(new long[] {3}, 1))
        .node("Gather", "g", new String[] {"x", "i"}, new String[] {"y"}, "axis", 1L).bytes();
    KbyocException e = assertThrows(KbyocException.class, () -> OnnxImporter.fromBytes(bad, "g.onnx", OnnxImporter.Options.DEFAULT));
    assertTrue(e.getMessage().contains("index 3 out of range"), e.getMessage());
  }

  @Test
  void sliceWithNegativeStepAndInt64MaxEnds() {
    // columns from the last backwards to the start (end INT64_MIN), every row
    OnnxModel m = OnnxBuilder.create().opset(13).input("x", 2, 3).output("y", 2, 3)
        .initializer("s", NDArray.ofInt64(new long[] {-1}, 1)).initializer("e", NDArray.ofInt64(new long[] {Long.MIN_VALUE}, 1))
        .initializer("a", NDArray.ofInt64(new long[] {1}, 1)).initializer("st", NDArray.ofInt64(new long[] {-1}, 1))
        .node("Slice", "sl", new String[] {"x", "s", "e", "a", "st"}, new String[] {"y"}).load();
    assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, run(m, X).floatData());
    // rows 1.. to INT64_MAX, columns 0..2 step 2
    OnnxModel n = OnnxBuilder.create().opset(13).input("x", 2, 3).output("y", 1, 2)
        .initializer("s", NDArray.ofInt64(new long[] {1, 0}, 2)).initializer("e", NDArray.ofInt64(new long[] {Long.MAX_VALUE, 3}, 2))
        .initializer("a", NDArray.ofInt64(new long[] {0, 1}, 2)).initializer("st", NDArray.ofInt64(new long[] {1, 2}, 2))
        .node("Slice", "sl", new String[] {"x", "s", "e", "a", "st"}, new String[] {"y"}).load();
    assertArrayEquals(new float[] {4, 6}, run(n, X).floatData());
  }

  @Test
  void reductionsTakeAxesAndKeepdims() {
    OnnxModel sum = OnnxBuilder.create().opset(13).input("x", 2, 3).output("y", 1, 3)
        .initializer("axes", NDArray.ofInt64(new long[] {0}, 1))
        .node("ReduceSum", "r", new String[] {"x", "axes"}, new String[] {"y"}).load();
    assertArrayEquals(new float[] {5, 7, 9}, run(sum, X).floatData());
    OnnxModel max = OnnxBuilder.create().opset(13).input("x", 2, 3).output("y", 2)
        .node("ReduceMax", "r", new String[] {"x"}, new String[] {"y"}, "axes", new long[] {-1}, "keepdims", 0L).load();
    assertArrayEquals(new float[] {3, 6}, run(max, X).floatData());
    OnnxModel min = OnnxBuilder.create().opset(13).input("x", 2, 3).output("y", 1, 1)
        .node("ReduceMin", "r", new String[] {"x"}, new String[] {"y"}).load();
    assertArrayEquals(new float[] {1}, run(min, X).floatData());
    // ReduceSum-13 without axes and noop_with_empty_axes=1 is the identity
    OnnxModel noop = OnnxBuilder.create().opset(13).input("x", 2, 3).output("y", 2, 3)
        .node("ReduceSum", "r", new String[] {"x"}, new String[] {"y"}, "noop_with_empty_axes", 1L).load();
    assertTrue(noop.module().main().body() instanceof Var);
    assertSame(noop.module().main().params().get(0), noop.module().main().body());
  }
}
