package dev.kbyoc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Span;
import dev.kbyoc.ir.StructuralEqual;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import dev.kbyoc.ir.text.RelayParser;
import dev.kbyoc.pass.InferType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ModelCase}: weights bound, given inputs kept, seeded inputs in range and repeatable, unique spans. */
class ModelCaseTest {
  private static final String TEXT = """
      #[version = "0.0.5"]
      def @main(%x: Tensor[(2, 3), float32], %w: Tensor[(3), float32], %i: Tensor[(4), int32]) {
        (add(%x, %w), %i)
      }
      """;

  private static IRModule parse() {
    return RelayParser.parse("t.relay", TEXT, List.of(), InferType::run);
  }

  @Test
  void bindsWeightsAndSeedsTheOtherInputs() {
    NDArray w = NDArray.of(new float[] {1, 2, 3}, 3);
    GraphCase c = ModelCase.of(parse(), Map.of("w", w), Map.of(), 5, GenOptions.DEFAULT);
    assertEquals(Map.of("w", w), c.params());
    assertEquals(List.of("x", "i"), new ArrayList<>(c.inputs().keySet()));
    NDArray x = c.inputs().get("x");
    assertEquals(TensorType.of(DType.FLOAT32, 2, 3), x.type());
    Set<Double> distinct = new HashSet<>();
    for (int k = 0; k < x.size(); k++) {
      double v = x.getDouble(k);
      assertTrue(v >= -1 && v < 1 && v * 256 == Math.rint(v * 256), "x[" + k + "] = " + v);
      distinct.add(v);
    }
    assertTrue(distinct.size() > 1, distinct::toString);
    NDArray i = c.inputs().get("i");
    assertEquals(TensorType.of(DType.INT32, 4), i.type());
    for (int k = 0; k < i.size(); k++) {
      assertTrue(i.getLong(k) >= 0 && i.getLong(k) < 4, "i[" + k + "] = " + i.getLong(k));
    }
    GraphCase again = ModelCase.of(parse(), Map.of("w", w), Map.of(), 5, GenOptions.DEFAULT);
    assertEquals(c.inputs(), again.inputs());
    assertNotEquals(x, ModelCase.of(parse(), Map.of("w", w), Map.of(), 6, GenOptions.DEFAULT).inputs().get("x"));
  }

  @Test
  void givenInputsMustMatchTheParameter() {
    NDArray x = NDArray.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    GraphCase c = ModelCase.of(parse(), Map.of(), Map.of("x", x), 0, GenOptions.DEFAULT);
    assertSame(x, c.inputs().get("x"));
    KbyocException shape = assertThrows(KbyocException.class,
        () -> ModelCase.of(parse(), Map.of(), Map.of("x", NDArray.of(new float[] {1, 2, 3}, 3)), 0, GenOptions.DEFAULT));
    assertEquals("input %x: --input x holds Tensor[(3), float32], @main expects Tensor[(2, 3), float32]", shape.getMessage());
    KbyocException unknown = assertThrows(KbyocException.class,
        () -> ModelCase.of(parse(), Map.of(), Map.of("y", x), 0, GenOptions.DEFAULT));
    assertEquals("--input y: @main has no parameter %y (parameters: %x, %w, %i)", unknown.getMessage());
    KbyocException twice = assertThrows(KbyocException.class,
        () -> ModelCase.of(parse(), Map.of("x", x), Map.of("x", x), 0, GenOptions.DEFAULT));
    assertEquals("%x is given both by --input and by the params", twice.getMessage());
  }

  @Test
  void callsSharingASpanGetTheirOwnAfterReprinting() {
    Var x = new Var("x", TensorType.of(DType.FLOAT32, 4));
    Span node0 = Span.at("m.onnx", 1, 1);
    Call add = new Call(Op.get("add"), List.of(x, x), Attrs.empty(), node0);
    Call relu = new Call(Op.get("nn.relu"), List.of(add), Attrs.empty(), node0);
    IRModule m = InferType.run(IRModule.fromMain(new Function(List.of(x), relu)));
    IRModule unique = ModelCase.withUniqueSpans(m);
    assertTrue(StructuralEqual.equal(m, unique), () -> StructuralEqual.firstDifference(m, unique));
    Set<Span> spans = new HashSet<>();
    for (Expr e : PostOrder.of(unique.main())) {
      if (e instanceof Call c) {
        assertTrue(c.span().isKnown() && spans.add(c.span()), c.span().toString());
      }
    }
    assertEquals(2, spans.size());
    IRModule parsed = parse();
    assertSame(parsed, ModelCase.withUniqueSpans(parsed));
  }
}
