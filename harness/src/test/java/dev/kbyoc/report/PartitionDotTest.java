package dev.kbyoc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import dev.kbyoc.testing.Attach;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionDotTest {
  static Function external(String name, String compiler, List<Var> params, dev.kbyoc.ir.Expr body) {
    return new Function(params, body, null,
        Attrs.of("global_symbol", name, "Primitive", 1L, "Compiler", compiler, "Inline", 1L), null);
  }

  @Test
  void drawsInputsHostOpsAndOneBoxPerExternalCall() {
    Var x = new Var("x", TensorType.f32(1, 4));
    Var p = new Var("kendryte_0_i0", TensorType.f32(1, 4));
    Function k0 = external("kendryte_0", "kendryte", List.of(p),
        Call.op("nn.relu", Call.op("nn.relu", Call.op("add", p, p))));
    Call region = new Call(new GlobalVar("kendryte_0"), List.of(x), Attrs.empty());
    IRModule m = IRModule.of(Map.of("main", new Function(List.of(x), Call.op("nn.softmax", region)),
        "kendryte_0", k0));
    String dot = PartitionDot.of(m);
    Attach.dot("partition", dot);
    assertEquals("""
        digraph partition {
          rankdir=TB;
          node [fontname="Helvetica", fontsize=10];
          n0 [shape=note, label="x"];
          n1 [shape=box, style="filled,rounded", fillcolor="#aed6f1", label="kendryte_0 (kendryte)\\nadd, nn.relu x2"];
          n2 [shape=ellipse, label="nn.softmax"];
          n3 [shape=plaintext, label="output"];
          n0 -> n1;
          n1 -> n2;
          n2 -> n3;
        }
        """, dot);
    Graphviz.render(dot).ifPresent(svg -> assertTrue(svg.contains("kendryte_0 (kendryte)")));
  }

  @Test
  void looksThroughTuplesAndColoursCompilersApart() {
    Var x = new Var("x", TensorType.f32(4));
    Var a = new Var("a_0_i0", TensorType.f32(4));
    Var b = new Var("b_1_i0", TensorType.f32(4));
    Function fa = external("a_0", "a", List.of(a), new Tuple(List.of(Call.op("nn.relu", a), Call.op("add", a, a))));
    Function fb = external("b_1", "b", List.of(b), Call.op("nn.relu", b));
    Call ca = new Call(new GlobalVar("a_0"), List.of(x), Attrs.empty());
    Call cb = new Call(new GlobalVar("b_1"), List.of(new TupleGetItem(ca, 1)), Attrs.empty());
    Function main = new Function(List.of(x), new Tuple(List.of(new TupleGetItem(ca, 0), cb)));
    String dot = PartitionDot.of(IRModule.of(Map.of("main", main, "a_0", fa, "b_1", fb)));
    assertTrue(dot.contains("n1 [shape=box, style=\"filled,rounded\", fillcolor=\"#aed6f1\", label=\"a_0 (a)\\nnn.relu, add\"];"), dot);
    assertTrue(dot.contains("n2 [shape=box, style=\"filled,rounded\", fillcolor=\"#f9e79f\", label=\"b_1 (b)\\nnn.relu\"];"), dot);
    assertTrue(dot.endsWith("  n0 -> n1;\n  n1 -> n2;\n  n1 -> n3;\n  n2 -> n3;\n}\n"), dot);
  }

  @Test
  void escapesQuotesAndBackslashes() {
    assertEquals("a\\\"b\\\\c", PartitionDot.dot("a\"b\\c"));
  }
}
