package dev.kbyoc.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Var;
import dev.kbyoc.runtime.Interpreter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shape of what the importer produces: params, names, folding, evaluation. */
class OnnxImporterTest {
  @Test
  void graphInputsThenUsedInitializersBecomeParamsWithOriginalNames() {
    OnnxModel m = OnnxBuilder.create().input("input.1", 1, 4).output("y", 1, 4)
        .initializer("unused", NDArray.of(new float[] {9}, 1))
        .initializer("bias:0", NDArray.of(new float[] {1, -2, 3, -4}, 4))
        .node("Add", "add0", new String[] {"input.1", "bias:0"}, new String[] {"s"})
        .node("Relu", "relu0", new String[] {"s"}, new String[] {"y"}).load();
    Function main = m.module().main();
    assertEquals(List.of("input.1", "bias:0"), main.params().stream().map(Var::name).toList());
    assertEquals(List.of("bias:0"), List.copyOf(m.params().keySet()));
    assertEquals(List.of("input.1"), m.inputs());
    assertEquals(List.of("y"), m.outputs());

    Map<String, NDArray> feed = new HashMap<>(m.params());
    feed.put("input.1", NDArray.of(new float[] {0.5f, 1, -5, 2}, 1, 4));
    List<NDArray> out = new Interpreter(m.module()).runFlat(feed);
    // relu(x + b) by hand: [1.5, -1 -> 0, -2 -> 0, -2 -> 0]
    assertArrayEquals(new float[] {1.5f, 0, 0, 0}, out.get(0).floatData());
  }

  @Test
  void integerInitializersAndShapeChainsAreFoldedToConstants() {
    // y = x + Cast(Shape(x))[1]  with the shape arithmetic folded away at import.
    OnnxModel m = OnnxBuilder.create().input("x", 2, 3).output("y", 2, 3)
        .initializer("idx", NDArray.ofInt64(new long[] {1}, 1))
        .node("Shape", "shape", new String[] {"x"}, new String[] {"s"})
        .node("Gather", "g", new String[] {"s", "idx"}, new String[] {"d"}, "axis", 0L)
        .node("Cast", "c", new String[] {"d"}, new String[] {"f"}, "to", 1L)
        .node("Add", "add", new String[] {"x", "f"}, new String[] {"y"}).load();
    assertEquals(List.of("x"), m.module().main().params().stream().map(Var::name).toList());
    Map<String, NDArray> feed = Map.of("x", NDArray.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3));
    assertArrayEquals(new float[] {3, 4, 5, 6, 7, 8}, new Interpreter(m.module()).runFlat(feed).get(0).floatData());
  }

  @Test
  void pytorchViewChainShapeGatherUnsqueezeConcatReshapeFoldsToOneReshape() {
    // x.view(x.size(0), -1) as torch.onnx exports it at opset 11
    OnnxModel m = OnnxBuilder.create().opset(11).input("x", 2, 3, 2).output("y", 2, 6)
        .node("Shape", "n0", new String[] {"x"}, new String[] {"s"})
        .node("Constant", "n1", new String[] {}, new String[] {"zero"}, "value", NDArray.ofInt64(new long[] {0}))
        .node("Gather", "n2", new String[] {"s", "zero"}, new String[] {"n"}, "axis", 0L)
        .node("Unsqueeze", "n3", new String[] {"n"}, new String[] {"n1"}, "axes", new long[] {0})
        .node("Constant", "n4", new String[] {}, new String[] {"m1"}, "value", NDArray.ofInt64(new long[] {-1}, 1))
        .node("Concat", "n5", new String[] {"n1", "m1"}, new String[] {"shape"}, "axis", 0L)
        .node("Reshape", "n6", new String[] {"x", "shape"}, new String[] {"y"}).load();
    dev.kbyoc.ir.Call body = (dev.kbyoc.ir.Call) m.module().main().body();
    assertEquals(true, body.isOp("reshape"));
    assertSame(m.module().main().params().get(0), body.arg(0));
    assertEquals(List.of(2L, 6L), body.attrs().get("newshape"));
  }

  @Test
  void identityOutputIsTheInputItselfAndSeveralOutputsMakeATuple() {
    OnnxModel m = OnnxBuilder.create().input("x", 2).output("a", 2).output("b", 2)
        .node("Identity", "id", new String[] {"x"}, new String[] {"a"})
        .node("Relu", "r", new String[] {"x"}, new String[] {"b"}).load();
    Function main = m.module().main();
    assertEquals("(Tensor[(2,), float32], Tensor[(2,), float32])", main.body().checkedType().toRelay());
    assertSame(main.params().get(0), ((dev.kbyoc.ir.Tuple) main.body()).fields().get(0));
  }
}
