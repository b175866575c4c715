package dev.kbyoc.ir.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.ExprVisitor;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.Interpreter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A 100,000-node chain and a 20,000-node diamond lattice, written in TVM's canonical printed
 * form, parse, type-check, evaluate and print back to the same text without deep recursion.
 */
class LargeGraphTest {
  private static final String T = "Tensor[(4), float32]";

  @Test
  void chainOf100kNodes() {
    int n = 100_000;
    StringBuilder sb = new StringBuilder("#[version = \"0.0.5\"]\ndef @main(%x: " + T + ") -> " + T + " {\n");
    String prev = "%x";
    for (int i = 0; i < n - 1; i++) {
      sb.append("  %").append(i).append(" = add(").append(prev).append(", 1f /* ty=float32 */) /* ty=").append(T).append(" */;\n");
      prev = "%" + i;
    }
    sb.append("  add(").append(prev).append(", 1f /* ty=float32 */) /* ty=").append(T).append(" */\n}\n");
    String text = sb.toString();

    IRModule m = RelayParser.parse("chain.relay", text, List.of(), InferType::run);
    assertEquals(TensorType.f32(4), m.main().body().checkedType());
    float[] x = {0.5f, -3f, 7f, -100000f};
    NDArray out = new Interpreter(m).runFlat(Map.of("x", NDArray.of(x, 4))).get(0);
    assertArrayEquals(new float[] {100000.5f, 99997f, 100007f, 0f}, out.floatData());
    assertEquals(text, RelayPrinter.print(m).text());
  }

  @Test
  void diamondLatticeOf20kNodes() {
    int layers = 5_001;
    StringBuilder sb = new StringBuilder("#[version = \"0.0.5\"]\ndef @main(%x: " + T + ") -> " + T + " {\n");
    String ann = " /* ty=" + T + " */;\n";
    int k = 0;
    sb.append("  %0 = add(%x, %x)").append(ann);
    String s = "%0";
    k = 1;
    int calls = 1;
    for (int i = 0; i < layers - 1; i++) {
      String t = "%" + k++;
      String a = "%" + k++;
      String b = "%" + k++;
      sb.append("  ").append(t).append(" = add(").append(s).append(", -1f /* ty=float32 */)").append(ann);
      sb.append("  ").append(a).append(" = nn.relu(").append(t).append(')').append(ann);
      sb.append("  ").append(b).append(" = add(").append(s).append(", -2f /* ty=float32 */)").append(ann);
      if (i < layers - 2) {
        s = "%" + k++;
        sb.append("  ").append(s).append(" = add(").append(a).append(", ").append(b).append(')').append(ann);
      } else {
        sb.append("  add(").append(a).append(", ").append(b).append(") /* ty=").append(T).append(" */\n}\n");
      }
      calls += 4;
    }
    String text = sb.toString();
    assertEquals(20_001, calls);

    IRModule m = RelayParser.parse("lattice.relay", text, List.of(), InferType::run);
    Set<Call> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    int[] visits = {0};
    new ExprVisitor() {
      @Override
      protected void visitCall(Call call) {
        visits[0]++;
        seen.add(call);
      }
    }.visit(m.main());
    assertEquals(calls, visits[0]);
    assertEquals(visits[0], seen.size());

    float[] x = {1.5f, 1f, 0.25f, -2f};
    float[] expect = new float[4];
    for (int e = 0; e < 4; e++) {
      float sv = x[e] + x[e];
      for (int i = 0; i < layers - 1; i++) {
        float a = Math.max(sv - 1f, 0f);
        float b = sv - 2f;
        sv = a + b;
      }
      expect[e] = sv;
    }
    NDArray out = new Interpreter(m).runFlat(Map.of("x", NDArray.of(x, 4))).get(0);
    assertArrayEquals(expect, out.floatData());
    assertEquals(text, RelayPrinter.print(m).text());
  }
}
