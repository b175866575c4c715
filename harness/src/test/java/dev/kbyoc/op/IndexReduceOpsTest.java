package dev.kbyoc.op;

import static dev.kbyoc.op.OpTester.assertClose;
import static dev.kbyoc.op.OpTester.iota;
import static dev.kbyoc.op.OpTester.rejects;
import static dev.kbyoc.op.OpTester.run1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code strided_slice}, {@code take} and the {@code sum}/{@code max}/{@code min} reductions, on hand-computed cases. */
class IndexReduceOpsTest {
  private static Attrs slice(int[] b, int[] e, int[] s, int[] axes) {
    Attrs a = Attrs.of("begin", b, "end", e, "strides", s);
    return axes == null ? a : a.with("axes", axes);
  }

  @Test
  void stridedSliceStepsForwardAndBackward() {
    // [[1 2 3 4], [5 6 7 8], [9 10 11 12]]: rows 0..2 step 2, columns 3 down to 1
    NDArray y = run1("strided_slice", slice(new int[] {0, 3}, new int[] {3, 0}, new int[] {2, -1}, null), iota(3, 4));
    assertClose(new double[] {4, 3, 2, 12, 11, 10}, y, 2, 3);
    // begin -1 is the last column; end -5 (before the start) with step -1 runs to column 0
    NDArray z = run1("strided_slice", slice(new int[] {-1}, new int[] {-5}, new int[] {-1}, new int[] {1}), iota(1, 4));
    assertClose(new double[] {4, 3, 2, 1}, z, 1, 4);
    // out-of-range begin/end clamp; an empty range gives length 0
    NDArray w = run1("strided_slice", slice(new int[] {-100}, new int[] {100}, new int[] {1}, new int[] {0}), iota(3));
    assertClose(new double[] {1, 2, 3}, w, 3);
    NDArray empty = run1("strided_slice", slice(new int[] {2}, new int[] {1}, new int[] {1}, new int[] {0}), iota(3));
    assertArrayEquals(new int[] {0}, empty.shape());
  }

  @Test
  void stridedSliceRejectsZeroStrideAndSizeMode() {
    rejects("strided_slice", slice(new int[] {0}, new int[] {1}, new int[] {0}, null), List.of("contain 0"), TensorType.f32(3));
    rejects("strided_slice", slice(new int[] {0}, new int[] {1}, new int[] {1}, null).with("slice_mode", "size"),
        List.of("slice_mode"), TensorType.f32(3));
  }

  @Test
  void takeAlongAnAxisWithEachMode() {
    NDArray x = iota(2, 3); // [[1 2 3], [4 5 6]]
    NDArray idx = NDArray.ofInt64(new long[] {2, -1, 0, 0}, 2, 2);
    NDArray wrap = run1("take", Attrs.of("axis", 1, "mode", "wrap"), x, idx);
    assertArrayEquals(new int[] {2, 2, 2}, wrap.shape());
    assertClose(new double[] {3, 3, 1, 1, 6, 6, 4, 4}, wrap, 2, 2, 2);
    NDArray clip = run1("take", Attrs.of("axis", 1), x, NDArray.ofInt64(new long[] {-1, 7}, 2));
    assertClose(new double[] {1, 3, 4, 6}, clip, 2, 2);
    // no axis: indices into the flattened data
    NDArray flat = run1("take", Attrs.empty(), x, NDArray.ofInt32(new int[] {5, 0}, 2));
    assertClose(new double[] {6, 1}, flat, 2);
    rejects("take", Attrs.of("axis", 0), List.of("indices must be integers"), TensorType.f32(2), TensorType.f32(1));
  }

  @Test
  void sumMaxMinReduceTheListedAxes() {
    NDArray x = OpTester.f32(new int[] {2, 3}, 1, -2, 3, 4, 5, -6);
    assertClose(new double[] {5, 3, -3}, run1("sum", Attrs.of("axis", new int[] {0}), x), 3);
    assertClose(new double[] {3, 5}, run1("max", Attrs.of("axis", new int[] {1}, "keepdims", true), x), 2, 1);
    assertClose(new double[] {-6}, run1("min", Attrs.empty(), x));
    NDArray nan = OpTester.f32(new int[] {2}, Float.NaN, 1);
    assertEquals(Double.NaN, run1("max", Attrs.empty(), nan).getDouble(0)); // NaN propagates, as numpy
    NDArray ints = NDArray.fromDoubles(DType.INT32, new double[] {7, -9}, 2);
    NDArray s = run1("sum", Attrs.empty(), ints);
    assertEquals(DType.INT32, s.dtype());
    assertEquals(-2, s.getLong(0));
  }
}
