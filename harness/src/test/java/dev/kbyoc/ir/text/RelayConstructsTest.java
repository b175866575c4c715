package dev.kbyoc.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.StructuralEqual;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.Interpreter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Constructs outside the corpus: free variables, nested tuples, TVM >= 0.9 annotations. */
class RelayConstructsTest {

  @Test
  void freeVariablesPrintAsFreeVarAndParseBack() {
    Var x = new Var("x", TensorType.f32(2));
    Var free = new Var("y", TensorType.f32(2));
    Function f = new Function(List.of(x), Call.op("add", Call.op("nn.relu", x), free));
    IRModule m = IRModule.fromMain(f);
    String text = RelayPrinter.text(m);
    assertEquals("""
        #[version = "0.0.5"]
        def @main(%x: Tensor[(2), float32]) {
          %0 = nn.relu(%x);
          free_var %y: Tensor[(2), float32];
          add(%0, %y)
        }
        """, text);
    IRModule back = RelayParser.parseUntyped("f", text, List.of()).module();
    assertNull(StructuralEqual.firstDifference(m, back));
  }

  @Test
  void nestedTuplesAndEmptyTuplesRoundTrip() {
    String text = """
        #[version = "0.0.5"]
        def @main(%x: Tensor[(2), float32]) -> ((Tensor[(2), float32],), (), Tensor[(2), float32]) {
          %0 = (%x,);
          %1 = ();
          %2 = (%0, %1, %x);
          %3 = %2.0;
          %4 = %3.0;
          (%3, %1, %4)
        }
        """;
    IRModule m = RelayParser.parse("t", text, List.of(), InferType::run);
    assertEquals(text, RelayPrinter.text(m));
    TupleGetItem inner = (TupleGetItem) ((Tuple) m.main().body()).fields().get(2);
    assertEquals("%4", inner.describe());
    NDArray in = NDArray.of(new float[] {1, -1}, 2);
    assertEquals(List.of(in, in), new Interpreter(m).runFlat(Map.of("x", in)));
  }

  @Test
  void acceptsTheAnnotationsNewerTvmPrintsOnParamsAndFunctions() {
    String text = """
        #[version = "0.0.5"]
        def @main(%x: Tensor[(1, 4), float32] /* ty=Tensor[(1, 4), float32] */) -> Tensor[(1, 4), float32] {
          %0 = fn (%p0: Tensor[(1, 4), float32] /* ty=Tensor[(1, 4), float32] */, Primitive=1) -> Tensor[(1, 4), float32] {
            add(%p0, 1f /* ty=float32 */) /* ty=Tensor[(1, 4), float32] */
          } /* ty=fn (Tensor[(1, 4), float32]) -> Tensor[(1, 4), float32] */;
          %0(%x) /* from_string */ /* ty=Tensor[(1, 4), float32] */
        }
        """;
    IRModule m = RelayParser.parse("t", text, List.of(), InferType::run);
    assertEquals("""
        #[version = "0.0.5"]
        def @main(%x: Tensor[(1, 4), float32]) -> Tensor[(1, 4), float32] {
          %0 = fn (%p0: Tensor[(1, 4), float32], Primitive=1) -> Tensor[(1, 4), float32] {
            add(%p0, 1f /* ty=float32 */) /* ty=Tensor[(1, 4), float32] */
          };
          %0(%x) /* ty=Tensor[(1, 4), float32] */
        }
        """, RelayPrinter.text(m));
    String wrong = text.replace("} /* ty=fn (Tensor[(1, 4), float32])", "} /* ty=fn (Tensor[(1, 5), float32])");
    assertEquals("t:5:11: type annotation fn (Tensor[(1, 5), float32]) -> Tensor[(1, 4), float32] does not match the "
            + "inferred type fn (Tensor[(1, 4), float32]) -> Tensor[(1, 4), float32] of %0",
        org.junit.jupiter.api.Assertions.assertThrows(dev.kbyoc.ir.KbyocException.class,
            () -> RelayParser.parse("t", wrong, List.of(), InferType::run)).getMessage());
  }

  @Test
  void readsOnnxStyleDottedNamesAsTvmPrintsThem() {
    String text = """
        #[version = "0.0.5"]
        def @main(%input.1: Tensor[(2), float32], %t: (Tensor[(2), float32], Tensor[(2), float32])) {
          %0 = add(%input.1, %t.1);
          (%0, %t.0)
        }
        """;
    IRModule m = RelayParser.parse("onnx.relay", text, List.of(), InferType::run);
    assertEquals(List.of("input.1", "t"), m.main().params().stream().map(Var::name).toList());
    Tuple out = (Tuple) m.main().body();
    assertEquals(1, ((TupleGetItem) ((Call) out.fields().get(0)).arg(1)).index());
    assertEquals(0, ((TupleGetItem) out.fields().get(1)).index());
    assertEquals("""
        #[version = "0.0.5"]
        def @main(%input_1: Tensor[(2), float32], %t: (Tensor[(2), float32], Tensor[(2), float32])) -> (Tensor[(2), float32], Tensor[(2), float32]) {
          %0 = %t.1;
          %1 = add(%input_1, %0) /* ty=Tensor[(2), float32] */;
          %2 = %t.0;
          (%1, %2)
        }
        """, RelayPrinter.text(m));
  }
}
