package dev.kbyoc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.build.SampleModels;
import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.testing.HostRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The skip connection of a residual block, {@code relu(bn(conv(x) + b) + shortcut)}, runs as one
 * convolution whose epilogue adds the shortcut before the activation: the graph runtime gives the
 * interpreter's bits, in each of the convolution's layouts (pointwise, rows when the width is a
 * multiple of 32, row pairs when it is one vector, wide otherwise, where the residual is added
 * while copying out of the scratch),
 * with the shortcut on either side of the {@code add}, as the block input itself or as a second
 * convolution computed first or second, and with 4, 8 and 12 output channels (every register
 * tile). The compiled function has no separate add or relu step.
 */
class ResidualEpilogueTest {
  private final Random rnd = new Random(23);

  private Expr conv(Expr x, int cin, int cout, int k, int stride) {
    Expr y = Call.op("nn.conv2d", List.of(x, new Constant(SampleModels.random(rnd, cout, cin, k, k))),
        Attrs.of("padding", new int[] {k / 2, k / 2}, "strides", new int[] {stride, stride}));
    y = Call.op("nn.bias_add", List.of(y, new Constant(SampleModels.random(rnd, cout))), Attrs.empty());
    Expr scale = new Constant(SampleModels.random(rnd, cout, 1, 1));
    Expr shift = new Constant(SampleModels.random(rnd, cout, 1, 1));
    return Call.op("add", Call.op("multiply", y, scale), shift);
  }

  /** Builds {@code body} host-only, checks its ops ran as {@code kinds}, and compares with the interpreter. */
  private void same(Var x, Expr body, List<String> kinds, String what) {
    IRModule m = InferType.run(IRModule.fromMain(new Function(List.of(x), body)));
    BuildResult r = RelayBuild.build(m, Map.of(), BuildOptions.DEFAULT);
    List<String> got = new ArrayList<>();
    for (GraphJson.Node n : r.graph().nodes()) {
      if (!n.isInput()) {
        FloatProgram p = (FloatProgram) r.modules().get(0).floatFunction(n.attrs().get("func_name"));
        got.addAll(p.stepKinds());
      }
    }
    assertEquals(kinds, got, what);
    for (int t = 0; t < 2; t++) {
      HostRun.assertSameAsInterpreter(m, r, Map.of("x", SampleModels.random(rnd, ((TensorType) x.typeAnnotation()).shape())),
          what);
    }
  }

  @Test
  void identityShortcutIsAddedInTheEpilogueInEveryLayout() {
    // {width, kernel}: rows (32, 3x3), row pairs (16, 3x3), wide (10, 3x3), pointwise (7, 1x1)
    for (int[] geo : new int[][] {{32, 3}, {16, 3}, {10, 3}, {7, 1}}) {
      for (int c : new int[] {4, 8, 12}) {
        for (boolean shortcutFirst : new boolean[] {false, true}) {
          Var x = new Var("x", TensorType.f32(1, c, 5, geo[0]));
          Expr y = conv(x, c, c, geo[1], 1);
          Expr sum = shortcutFirst ? Call.op("add", x, y) : Call.op("add", y, x);
          same(x, Call.op("nn.relu", sum), List.of("Conv"), "width " + geo[0] + " k " + geo[1] + " channels " + c
              + (shortcutFirst ? " add(x, conv)" : " add(conv, x)"));
        }
      }
    }
  }

  @Test
  void projectionShortcutIsAddedByWhicheverConvolutionRunsSecond() {
    for (int w : new int[] {32, 10}) {
      Var x = new Var("x", TensorType.f32(1, 4, 6, 2 * w));
      Expr main = conv(Call.op("nn.relu", conv(x, 4, 8, 3, 2)), 8, 8, 3, 1);
      Expr projection = conv(x, 4, 8, 1, 2);
      for (boolean mainFirst : new boolean[] {true, false}) {
        Expr sum = mainFirst ? Call.op("add", main, projection) : Call.op("add", projection, main);
        same(x, Call.op("clip", List.of(sum), Attrs.of("a_min", -0.5, "a_max", 1.0)), List.of("Conv", "Conv", "Conv"),
            "width " + w + (mainFirst ? " add(main, projection)" : " add(projection, main)"));
      }
    }
  }
}
