package dev.kbyoc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.build.SampleModels;
import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.testing.HostRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Data-movement ops run as copies through a map found from iota inputs ({@link GatherMap}): on
 * the graph runtime they give the interpreter's exact values for concatenate on every axis (with
 * an empty operand), transpose, strided_slice and nearest resize in each coordinate mode; the
 * map is hand-checked on a small concatenate; ops that compute, or a crop that extrapolates, are
 * declined.
 */
class GatherStepTest {
  private final Random rnd = new Random(11);

  /** Builds {@code body(x, y)} host-only and compares the graph runtime with the interpreter. */
  private void same(Expr body, Var x, Var y) {
    IRModule m = InferType.run(IRModule.fromMain(new Function(List.of(x, y), body)));
    BuildResult r = RelayBuild.build(m, Map.of(), BuildOptions.DEFAULT);
    for (int t = 0; t < 2; t++) {
      NDArray xv = SampleModels.random(rnd, ((TensorType) x.typeAnnotation()).shape());
      NDArray yv = SampleModels.random(rnd, ((TensorType) y.typeAnnotation()).shape());
      HostRun.assertSameAsInterpreter(m, r, Map.of("x", xv, "y", yv), body.toString());
    }
  }

  @Test
  void concatenateOnEveryAxisMatchesTheInterpreter() {
    for (int axis = 0; axis < 4; axis++) {
      int[] a = {2, 3, 4, 5};
      int[] b = a.clone();
      b[axis] = axis == 2 ? 0 : 2;
      Var x = new Var("x", TensorType.f32(a));
      Var y = new Var("y", TensorType.f32(b));
      Expr cat = Call.op("concatenate", List.of(new Tuple(List.of(x, y, x))), Attrs.of("axis", (long) axis));
      same(Call.op("nn.relu", cat), x, y);
    }
  }

  @Test
  void transposeSliceAndNearestResizeMatchTheInterpreter() {
    Var x = new Var("x", TensorType.f32(1, 3, 5, 6));
    Var y = new Var("y", TensorType.f32(1, 3, 5, 6));
    same(Call.op("add", Call.op("transpose", List.of(x), Attrs.of("axes", new int[] {0, 2, 3, 1})),
        Call.op("transpose", List.of(y), Attrs.of("axes", new int[] {0, 2, 3, 1}))), x, y);
    same(Call.op("add", Call.op("strided_slice", List.of(x), Attrs.of("begin", new int[] {0, 1, 4, 0},
        "end", new int[] {1, 3, 0, 6}, "strides", new int[] {1, 1, -2, 3})), Call.op("strided_slice", List.of(y),
        Attrs.of("begin", new int[] {0, 0, 0, 1}, "end", new int[] {1, 2, 2, 3}, "strides", new int[] {1, 1, 1, 1}))), x, y);
    for (String mode : List.of("half_pixel", "asymmetric", "align_corners")) {
      for (String rounding : List.of("round", "floor", "ceil", "round_prefer_floor")) {
        Attrs at = Attrs.of("size", new int[] {11, 13}, "method", "nearest_neighbor",
            "coordinate_transformation_mode", mode, "rounding_method", rounding);
        same(Call.op("add", Call.op("image.resize2d", List.of(x), at), Call.op("image.resize2d", List.of(y), at)), x, y);
      }
    }
  }

  @Test
  void mapOfASmallConcatenateIsTheHandComputedOne() {
    Var x = new Var("x", TensorType.f32(2, 2));
    Var y = new Var("y", TensorType.f32(2, 1));
    Call cat = Call.op("concatenate", List.of(new Tuple(List.of(x, y))), Attrs.of("axis", 1L));
    InferType.run(IRModule.fromMain(new Function(List.of(x, y), cat)));
    // x = [[0, 1], [2, 3]], y = [[4], [5]] laid end to end: rows [0, 1, 4] and [2, 3, 5]
    int[] map = GatherMap.of(cat);
    assertNotNull(map);
    assertArrayEquals(new int[] {0, 1, 4, 2, 3, 5}, map);
  }

  @Test
  void computingOpsAndExtrapolatingCropsAreDeclined() {
    Var x = new Var("x", TensorType.f32(1, 2, 4, 4));
    List<Call> declined = new ArrayList<>();
    declined.add(Call.op("image.resize2d", List.of(x), Attrs.of("size", new int[] {8, 8}, "method", "linear")));
    declined.add(Call.op("image.resize2d", List.of(x), Attrs.of("size", new int[] {8, 8}, "method", "nearest_neighbor",
        "coordinate_transformation_mode", "tf_crop_and_resize", "roi", new double[] {0, 0, 1.5, 1.5})));
    declined.add(Call.op("nn.relu", x));
    for (Call c : declined) {
      InferType.run(IRModule.fromMain(new Function(List.of(x), c)));
      assertNull(GatherMap.of(c), c.toString());
    }
  }
}
