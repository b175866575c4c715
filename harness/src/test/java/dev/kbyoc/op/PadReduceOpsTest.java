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

class PadReduceOpsTest {
  private static final Attrs NONE = Attrs.empty();

  private static Attrs width(List<List<Integer>> pw) {
    return Attrs.of("pad_width", pw);
  }

  @Test
  void constantPadWithValueInput() {
    // [[1, 2], [3, 4]] with one row before, two columns after, filled with 9
    NDArray y = run1("nn.pad", width(List.of(List.of(1, 0), List.of(0, 2))), iota(2, 2), NDArray.scalar(9f));
    assertClose(new double[] {9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9}, y, 3, 4);
  }

  @Test
  void negativeWidthsCropInConstantMode() {
    // [[1, 2, 3], [4, 5, 6]]: drop the first column, add a zero row below
    NDArray y = run1("nn.pad", width(List.of(List.of(0, 1), List.of(-1, 0))), iota(2, 3), NDArray.scalar(0f));
    assertClose(new double[] {2, 3, 5, 6, 0, 0}, y, 3, 2);
  }

  @Test
  void padValueIsConvertedToDataDtype() {
    NDArray x = NDArray.ofInt32(new int[] {5}, 1);
    NDArray y = run1("nn.pad", width(List.of(List.of(1, 1))), x, NDArray.scalar(-2.5f));
    assertEquals(DType.INT32, y.dtype());
    assertArrayEquals(new int[] {-2, 5, -2}, y.intData());
  }

  @Test
  void edgeAndReflectModes() {
    NDArray x = iota(3);
    // edge repeats the border: [1, 1, | 1, 2, 3 | 3]
    assertClose(new double[] {1, 1, 1, 2, 3, 3},
        run1("nn.pad", width(List.of(List.of(2, 1))).with("pad_mode", "edge"), x, NDArray.scalar(0f)), 6);
    // reflect mirrors without the border: [3, 2, | 1, 2, 3 | 2, 1]
    assertClose(new double[] {3, 2, 1, 2, 3, 2, 1},
        run1("nn.pad", width(List.of(List.of(2, 2))).with("pad_mode", "reflect"), x, NDArray.scalar(0f)), 7);
  }

  @Test
  void padRejectsBadWidths() {
    TensorType x = TensorType.f32(2, 3);
    TensorType v = TensorType.f32();
    rejects("nn.pad", width(List.of(List.of(1, 1))), List.of("1 rows", "rank 2"), x, v);
    rejects("nn.pad", width(List.of(List.of(1, 1), List.of(0, -4))), List.of("row 1", "[0, -4]", "size 3", "below zero"), x, v);
    rejects("nn.pad", width(List.of(List.of(1, 1), List.of(0, -1))).with("pad_mode", "edge"), List.of("row 1", "[0, -1]",
        "only pad_mode constant"), x, v);
    rejects("nn.pad", width(List.of(List.of(1, 1), List.of(0, 1, 2))), List.of("row 1", "pair"), x, v);
    rejects("nn.pad", width(List.of(List.of(0, 0), List.of(3, 0))).with("pad_mode", "reflect"),
        List.of("reflect", "[3, 0]", "axis 1", "size 3"), x, v);
    rejects("nn.pad", width(List.of(List.of(0, 0), List.of(1, 0))), List.of("pad value", "scalar", "(1,)"), x,
        TensorType.f32(1));
    rejects("nn.pad", width(List.of(List.of(0, 0), List.of(1, 0))).with("pad_mode", "wrap"), List.of("pad_mode", "[wrap]"),
        x, v);
  }

  @Test
  void meanOverAxesWithKeepdimsAndExclude() {
    NDArray x = iota(2, 3); // [[1, 2, 3], [4, 5, 6]]
    assertClose(new double[] {2, 5}, run1("mean", Attrs.of("axis", List.of(1)), x), 2);
    assertClose(new double[] {2, 5}, run1("mean", Attrs.of("axis", List.of(-1)), x), 2);
    assertClose(new double[] {2.5, 3.5, 4.5}, run1("mean", Attrs.of("axis", List.of(0), "keepdims", true), x), 1, 3);
    assertClose(new double[] {3.5}, run1("mean", NONE, x));
    assertClose(new double[] {3.5}, run1("mean", Attrs.of("keepdims", true), x), 1, 1);
    // exclude: reduce every axis except 1
    assertClose(new double[] {2.5, 3.5, 4.5}, run1("mean", Attrs.of("axis", List.of(1), "exclude", true), x), 3);
    // (2, 2, 2) of 1..8 over axes 0 and 2: j = 0 -> (1 + 2 + 5 + 6) / 4 = 3.5; j = 1 -> (3 + 4 + 7 + 8) / 4 = 5.5
    assertClose(new double[] {3.5, 5.5}, run1("mean", Attrs.of("axis", List.of(0, 2)), iota(2, 2, 2)), 2);
  }

  @Test
  void meanRejectsBadAxes() {
    rejects("mean", Attrs.of("axis", List.of(2)), List.of("axis 2 out of range for rank 2"), TensorType.f32(2, 3));
    rejects("mean", Attrs.of("axis", List.of(1, -1)), List.of("axis 1 twice"), TensorType.f32(2, 3));
  }

  @Test
  void padWidthAttrIsANestedIntList() {
    Attrs a = width(List.of(List.of(0, 0), List.of(1, 2))).normalize(OpDef.of("nn.pad").attrs(), "nn.pad");
    assertEquals(List.of(List.of(0L, 0L), List.of(1L, 2L)), a.get("pad_width"));
    assertArrayEquals(new int[] {1, 2}, a.getIntsList("pad_width")[1]);
  }
}
