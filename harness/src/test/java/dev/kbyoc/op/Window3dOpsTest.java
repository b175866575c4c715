package dev.kbyoc.op;

import static dev.kbyoc.op.OpTester.assertClose;
import static dev.kbyoc.op.OpTester.f32;
import static dev.kbyoc.op.OpTester.iota;
import static dev.kbyoc.op.OpTester.rejects;
import static dev.kbyoc.op.OpTester.run;
import static dev.kbyoc.op.OpTester.run1;
import static dev.kbyoc.op.OpTester.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.TupleValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 3-D pools, {@code nn.conv3d_transpose} and {@code nn.max_pool2d_with_argmax} on hand-computed cases. */
class Window3dOpsTest {
  @Test
  void pools3dReduceEachWindow() {
    NDArray x = iota(1, 1, 2, 2, 2); // 1..8
    Attrs whole = Attrs.of("pool_size", List.of(2, 2, 2));
    assertClose(new double[] {8}, run1("nn.max_pool3d", whole, x), 1, 1, 1, 1, 1);
    assertClose(new double[] {4.5}, run1("nn.avg_pool3d", whole, x), 1, 1, 1, 1, 1);
    // padding 1, stride 2: each window holds exactly one input voxel, so the output is the input
    Attrs padded = Attrs.of("pool_size", List.of(2, 2, 2), "strides", List.of(2, 2, 2), "padding", List.of(1, 1, 1));
    assertClose(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, run1("nn.avg_pool3d", padded, x), 1, 1, 2, 2, 2);
    // counting the padding: 1 in-bounds voxel of 8
    assertClose(new double[] {1 / 8.0, 2 / 8.0, 3 / 8.0, 4 / 8.0, 5 / 8.0, 6 / 8.0, 7 / 8.0, 1},
        run1("nn.avg_pool3d", padded.with("count_include_pad", true), x), 1, 1, 2, 2, 2);
    rejects("nn.max_pool3d", whole, List.of("5-D"), TensorType.f32(1, 1, 2, 2));
  }

  @Test
  void conv3dTransposeScattersWeightedKernels() {
    NDArray x = f32(shape(1, 1, 1, 1, 2), 1, 2);
    NDArray w = f32(shape(1, 1, 1, 1, 2), 10, 1); // IODHW [C=1, O=1, 1, 1, 2]
    Attrs a = Attrs.of("kernel_layout", "IODHW");
    // stride 1 on W: [1*10, 1*1 + 2*10, 2*1]
    assertClose(new double[] {10, 21, 2}, run1("nn.conv3d_transpose", a, x, w), 1, 1, 1, 1, 3);
    // stride 2 on W: the two kernels no longer overlap
    assertClose(new double[] {10, 1, 20, 2}, run1("nn.conv3d_transpose", a.with("strides", List.of(1, 1, 2)), x, w),
        1, 1, 1, 1, 4);
    rejects("nn.conv3d_transpose", a.with("output_padding", List.of(0, 0, 1)), List.of("output_padding"),
        x.type(), w.type());
  }

  @Test
  void maxPoolWithArgmaxGivesFlatIndicesInEitherStorageOrder() {
    // [[1 5 2], [7 0 7]] with 2x2 windows: maxima 7 at (1, 0) and 7 at (1, 2) (the first of ties wins)
    NDArray x = f32(shape(1, 1, 2, 3), 1, 5, 2, 7, 0, 7);
    Attrs a = Attrs.of("pool_size", List.of(2, 2));
    TupleValue row = (TupleValue) run("nn.max_pool2d_with_argmax", a, x);
    assertClose(new double[] {7, 7}, row.fields().get(0).asTensor(), 1, 1, 1, 2);
    assertArrayEquals(new long[] {3, 5}, row.fields().get(1).asTensor().longData()); // h * W + w
    TupleValue col = (TupleValue) run("nn.max_pool2d_with_argmax", a.with("storage_order", 1L), x);
    assertArrayEquals(new long[] {1, 5}, col.fields().get(1).asTensor().longData()); // w * H + h
  }
}
