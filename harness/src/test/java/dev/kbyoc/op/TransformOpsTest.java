package dev.kbyoc.op;

import static dev.kbyoc.op.OpTester.assertClose;
import static dev.kbyoc.op.OpTester.f32;
import static dev.kbyoc.op.OpTester.iota;
import static dev.kbyoc.op.OpTester.rejects;
import static dev.kbyoc.op.OpTester.run1;
import static dev.kbyoc.op.OpTester.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.TupleType;
import dev.kbyoc.ir.TupleValue;
import dev.kbyoc.ir.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransformOpsTest {
  private static final Attrs NONE = Attrs.empty();

  private static int[] reshaped(List<Integer> newshape, int... in) {
    return ((TensorType) OpTester.infer("reshape", Attrs.of("newshape", newshape), TensorType.f32(in))).shape();
  }

  @Test
  void reshapeSpecialValues() {
    assertArrayEquals(shape(2, 12), reshaped(List.of(0, -1), 2, 3, 4));
    assertArrayEquals(shape(24), reshaped(List.of(-1), 2, 3, 4));
    assertArrayEquals(shape(6, 2, 2), reshaped(List.of(6, -1, 2), 2, 3, 4));
    assertArrayEquals(shape(2, 3, 4), reshaped(List.of(-2), 2, 3, 4));
    // a positive value also consumes an input position, so -2 then copies only the last dim
    assertArrayEquals(shape(2, 3, 4), reshaped(List.of(0, 3, -2), 2, 3, 4));
    assertArrayEquals(shape(6, 4), reshaped(List.of(-3, 4), 2, 3, 4));
    assertArrayEquals(shape(1, 2, 3, 4), reshaped(List.of(-4, 1, 2, -2), 2, 3, 4));
    assertArrayEquals(shape(2, 1, 3, 4), reshaped(List.of(-4, -1, 1, -2), 2, 3, 4));
    // data order is unchanged
    assertClose(new double[] {1, 2, 3, 4, 5, 6}, run1("reshape", Attrs.of("newshape", List.of(3, -1)), iota(2, 3)), 3, 2);
  }

  @Test
  void reshapeRejectsImpossibleShapes() {
    rejects("reshape", Attrs.of("newshape", List.of(5, -1)), List.of("newshape [5, -1]", "[2, 3, 4]", "cannot infer -1"),
        TensorType.f32(2, 3, 4));
    rejects("reshape", Attrs.of("newshape", List.of(7)), List.of("7 elements", "input has 24"), TensorType.f32(2, 3, 4));
    rejects("reshape", Attrs.of("newshape", List.of(-1, -1)), List.of("more than one -1"), TensorType.f32(2, 3, 4));
    rejects("reshape", Attrs.of("newshape", List.of(-4, 5, -1, -2)), List.of("split", "input dim 2"), TensorType.f32(2, 3, 4));
    rejects("reshape", Attrs.of("newshape", List.of(-7)), List.of("unsupported value -7"), TensorType.f32(2));
    rejects("reshape", NONE, List.of("newshape"), TensorType.f32(2));
  }

  @Test
  void transposeDefaultReversesAndAxesPermute() {
    // [[1, 2, 3], [4, 5, 6]]^T = [[1, 4], [2, 5], [3, 6]]
    assertClose(new double[] {1, 4, 2, 5, 3, 6}, run1("transpose", NONE, iota(2, 3)), 3, 2);
    // (2, 3, 4) with axes [2, 0, 1] (written -1, 0, 1): y[k][i][j] = x[i][j][k]
    NDArray x = iota(2, 3, 4);
    NDArray y = run1("transpose", Attrs.of("axes", List.of(-1, 0, 1)), x);
    double[] want = new double[24];
    for (int k = 0; k < 4; k++) {
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 3; j++) {
          want[(k * 2 + i) * 3 + j] = 1 + (i * 3 + j) * 4 + k;
        }
      }
    }
    assertClose(want, y, 4, 2, 3);
    rejects("transpose", Attrs.of("axes", List.of(0, 0, 1)), List.of("repeat axis 0"), TensorType.f32(2, 3, 4));
    rejects("transpose", Attrs.of("axes", List.of(1, 0)), List.of("all 3 axes"), TensorType.f32(2, 3, 4));
  }

  @Test
  void squeezeAndExpandDims() {
    assertEquals(TensorType.f32(3, 2), OpTester.infer("squeeze", NONE, TensorType.f32(1, 3, 1, 2)));
    assertEquals(TensorType.f32(3, 1, 2), OpTester.infer("squeeze", Attrs.of("axis", List.of(0)), TensorType.f32(1, 3, 1, 2)));
    assertEquals(TensorType.f32(1, 3, 2), OpTester.infer("squeeze", Attrs.of("axis", List.of(-2)), TensorType.f32(1, 3, 1, 2)));
    rejects("squeeze", Attrs.of("axis", List.of(1)), List.of("axis 1", "size is 3"), TensorType.f32(1, 3, 1, 2));
    assertClose(new double[] {1, 2, 3}, run1("squeeze", NONE, iota(1, 3, 1)), 3);

    Attrs two = Attrs.of("axis", 1, "num_newaxis", 2);
    assertEquals(TensorType.f32(2, 1, 1, 3), OpTester.infer("expand_dims", two, TensorType.f32(2, 3)));
    assertEquals(TensorType.f32(2, 3, 1), OpTester.infer("expand_dims", Attrs.of("axis", -1), TensorType.f32(2, 3)));
    assertEquals(TensorType.f32(1, 2, 3), OpTester.infer("expand_dims", Attrs.of("axis", -3), TensorType.f32(2, 3)));
    rejects("expand_dims", Attrs.of("axis", 3), List.of("axis 3 out of range [-3, 2]"), TensorType.f32(2, 3));
    assertClose(new double[] {1, 2, 3, 4, 5, 6}, run1("expand_dims", two, iota(2, 3)), 2, 1, 1, 3);
  }

  @Test
  void concatenateJoinsTupleFields() {
    // [[1], [2]] ++ [[1, 2], [3, 4]] along axis 1 = [[1, 1, 2], [2, 3, 4]]
    TupleValue t = new TupleValue(List.<Value>of(iota(2, 1), iota(2, 2)));
    assertClose(new double[] {1, 1, 2, 2, 3, 4}, run1("concatenate", Attrs.of("axis", 1), t), 2, 3);
    // axis 0 (default): rows appended
    TupleValue rows = new TupleValue(List.<Value>of(iota(1, 2), f32(shape(2, 2), 7, 8, 9, 10)));
    assertClose(new double[] {1, 2, 7, 8, 9, 10}, run1("concatenate", NONE, rows), 3, 2);
    // middle axis of rank 3: (2, 1, 2) ++ (2, 2, 2) -> (2, 3, 2)
    TupleValue mid = new TupleValue(List.<Value>of(iota(2, 1, 2), ElementwiseOps.map(iota(2, 2, 2), v -> v * 10)));
    assertClose(new double[] {1, 2, 10, 20, 30, 40, 3, 4, 50, 60, 70, 80}, run1("concatenate", Attrs.of("axis", -2), mid),
        2, 3, 2);
  }

  @Test
  void concatenateRejectsMismatches() {
    rejects("concatenate", Attrs.of("axis", 1), List.of("field 1", "(3, 2)", "(2, 1)", "outside axis 1"),
        TupleType.of(TensorType.f32(2, 1), TensorType.f32(3, 2)));
    rejects("concatenate", NONE, List.of("dtype", "int32"), TupleType.of(TensorType.f32(2), TensorType.of(DType.INT32, 2)));
    rejects("concatenate", NONE, List.of("must be a non-empty tuple"), TensorType.f32(2));
  }
}
