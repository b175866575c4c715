package dev.kbyoc.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.StructuralEqual;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayPrinterTest {

  @Test
  void formatsNumbersLikeCppOstream() {
    assertEquals("0.1", CNumber.g(0.1, 6));
    assertEquals("1e-05", CNumber.g(1e-5, 6));
    assertEquals("1.5e+06", CNumber.g(1.5e6, 6));
    assertEquals("100000", CNumber.g(100000, 6));
    assertEquals("1e+06", CNumber.g(1e6, 6));
    assertEquals("1.23457e+08", CNumber.g(123456789, 6));
    assertEquals("0.0001", CNumber.g(0.0001, 6));
    assertEquals("1.234e-05", CNumber.g(0.00001234, 6));
    assertEquals("-2.5", CNumber.g(-2.5, 6));
    assertEquals("6", CNumber.g(6, 6));
    assertEquals("0.333333", CNumber.g(1 / 3.0, 6));
    assertEquals("0.666667", CNumber.g(2 / 3.0, 6));
    assertEquals("10", CNumber.g(9.9999995, 6));
    assertEquals("1e+100", CNumber.g(1e100, 6));
    assertEquals("-0", CNumber.g(-0.0, 6));
    assertEquals("inf", CNumber.g(Double.POSITIVE_INFINITY, 6));
    // six digits when they round-trip, more only when needed
    assertEquals("0.1", CNumber.shortestFloat(0.1f));
    assertEquals("1.0000001", CNumber.shortestFloat(1.0000001f));
    assertEquals("0.1", CNumber.shortestDouble(0.1));
    assertEquals("0.30000000000000004", CNumber.shortestDouble(0.1 + 0.2));
  }

  @Test
  void printsAModuleBuiltInCodeAsTvmWould() {
    Var x = new Var("input.1", TensorType.f32(1, 4));
    Var y = new Var("0", TensorType.f32(4));
    NDArray w = NDArray.of(new float[] {1, 2, 3, 4}, 4);
    Constant c = new Constant(w);
    Call a = Call.op("add", x, c);
    Call b = Call.op("add", a, c);
    Call r = Call.op("nn.relu", b);
    Tuple t = new Tuple(List.of(r, y));
    Expr g = new TupleGetItem(t, 0);
    Call out = Call.op("add", g, new Constant(NDArray.scalar(0.25f)));
    Function main = new Function(List.of(x, y), out);
    Var p = new Var("p", TensorType.f32(1, 4));
    Function ext = new Function(List.of(p), Call.op("nn.relu", p), null,
        Attrs.of("Compiler", "kendryte", "global_symbol", "kendryte_0", "Primitive", 1), null);
    IRModule m = IRModule.fromMain(main).with("kendryte_0", ext);

    RelayPrinter.Printed untyped = RelayPrinter.print(m);
    assertEquals("""
        #[version = "0.0.5"]
        def @main(%input_1: Tensor[(1, 4), float32], %v0: Tensor[(4), float32]) {
          %0 = add(%input_1, meta[relay.Constant][0]);
          %1 = add(%0, meta[relay.Constant][0]);
          %2 = nn.relu(%1);
          %3 = (%2, %v0);
          %4 = %3.0;
          add(%4, 0.25f)
        }

        def @kendryte_0(%p: Tensor[(1, 4), float32], Compiler="kendryte", global_symbol="kendryte_0", Primitive=1) {
          nn.relu(%p)
        }

        /* For debugging purposes the metadata section has been omitted.
         * If you would like to see the full metadata section you can set the\s
         * option to `True` when invoking `astext`.\s
         */""", untyped.text());
    assertEquals(1, untyped.constants().size());
    assertSame(w, untyped.constants().get(0));
    assertEquals(List.of(MetaConstants.key(0)), List.copyOf(untyped.sidecar().keySet()));

    InferType.run(m);
    String typed = RelayPrinter.print(m).text();
    assertEquals("""
        #[version = "0.0.5"]
        def @main(%input_1: Tensor[(1, 4), float32], %v0: Tensor[(4), float32]) -> Tensor[(1, 4), float32] {
          %0 = add(%input_1, meta[relay.Constant][0] /* ty=Tensor[(4), float32] */) /* ty=Tensor[(1, 4), float32] */;
          %1 = add(%0, meta[relay.Constant][0] /* ty=Tensor[(4), float32] */) /* ty=Tensor[(1, 4), float32] */;
          %2 = nn.relu(%1) /* ty=Tensor[(1, 4), float32] */;
          %3 = (%2, %v0);
          %4 = %3.0;
          add(%4, 0.25f /* ty=float32 */) /* ty=Tensor[(1, 4), float32] */
        }
        """.substring(0, 60), typed.substring(0, 60));
    IRModule back = RelayParser.parse("p", typed, untyped.constants(), InferType::run);
    assertNull(StructuralEqual.firstDifference(m, back));
  }

  @Test
  void keepsSpansWithBindingNames() {
    String text = """
        #[version = "0.0.5"]
        def @main(%x: Tensor[(2), float32]) {
          %0 = add(%x, %x);
          %1 = (nn.relu(%0), %x);
          %1.0
        }
        """;
    Function main = RelayParser.parseUntyped("s.relay", text, List.of()).module().main();
    TupleGetItem root = (TupleGetItem) main.body();
    assertEquals("getitem@5:3", root.describe());
    Tuple tuple = (Tuple) root.tuple();
    assertEquals("%1", tuple.describe());
    Call relu = (Call) tuple.fields().get(0);
    assertEquals("nn.relu@4:9", relu.describe());
    assertEquals("s.relay", relu.span().file());
    Call add = (Call) relu.arg(0);
    assertEquals("%0", add.describe());
    assertEquals(3, add.span().line());
    assertEquals(8, add.span().col());
  }

  @Test
  void constantsUsedTwiceShareOneMetaEntryAndScalarsOfOtherTypesGoToMeta() {
    Var x = new Var("x", TensorType.of(DType.INT8, 2));
    Constant small = new Constant(NDArray.ofBytes(DType.INT8, new byte[] {-3}));
    Constant pair = new Constant(NDArray.ofBytes(DType.INT8, new byte[] {1, 2}, 2));
    Function f = new Function(List.of(x), Call.op("add", Call.op("add", x, pair), Call.op("add", small, pair)));
    RelayPrinter.Printed p = RelayPrinter.print(IRModule.fromMain(f));
    assertEquals(List.of(pair.data(), small.data()), p.constants());
    IRModule back = RelayParser.parse("b", p.text(), p.constants(), InferType::run);
    assertNull(StructuralEqual.firstDifference(IRModule.fromMain(f), back));
  }
}
