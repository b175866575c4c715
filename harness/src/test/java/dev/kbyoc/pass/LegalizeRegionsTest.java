package dev.kbyoc.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import dev.kbyoc.op.SupportPredicate;
import dev.kbyoc.op.Target;
import dev.kbyoc.runtime.Interpreter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A target taking add and relu whose codegen rejects regions of more than one input: of the two
 * regions ({@code relu(add(a, b))} with two inputs, {@code relu(c)} with one) after a host
 * {@code multiply} between them, the first goes back to the host, the second keeps its name.
 */
class LegalizeRegionsTest {

  @Test
  void rejectedRegionIsInlinedAndTheOtherKeepsItsName() {
    TensorType t = TensorType.f32(1, 4);
    Var a = new Var("a", t);
    Var b = new Var("b", t);
    Expr r1 = Call.op("nn.relu", Call.op("add", a, b));
    Expr m = Call.op("multiply", r1, r1);
    Expr r2 = Call.op("nn.relu", m);
    IRModule original = IRModule.fromMain(new Function(List.of(a, b), r2));
    Target target = Target.builder("acc").op("add", SupportPredicate.always()).op("nn.relu", SupportPredicate.always())
        .regionCheck(f -> f.params().size() == 1 ? null : f.params().size() + " inputs").build();
    IRModule merged = MergeCompilerRegions.run(AnnotateTarget.run(InferType.run(original), List.of(target)));
    IRModule part = PartitionGraph.run(merged);
    List<String> before = externals(part);
    assertEquals(2, before.size(), before.toString());
    LegalizeRegions.Result r = LegalizeRegions.run(part, List.of(target));
    List<String> after = externals(r.module());
    assertEquals(1, after.size(), after.toString());
    assertEquals(1, r.rejected().size());
    String rejected = r.rejected().keySet().iterator().next();
    assertEquals("2 inputs", r.rejected().get(rejected));
    List<String> all = new ArrayList<>(before);
    all.remove(rejected);
    assertEquals(all, after, "the kept region keeps PartitionGraph's name");
    assertNull(r.module().functions().get(rejected));
    // Only @main and the one-input region remain, and @main now holds the first add and relu.
    assertEquals(new TreeSet<>(List.of("main", after.get(0))), new TreeSet<>(r.module().functions().keySet()));
    NDArray av = NDArray.of(new float[] {1, -2, 3, -4}, 1, 4);
    NDArray bv = NDArray.of(new float[] {0.5f, 1, -5, 2}, 1, 4);
    // relu(a + b) = [1.5, 0, 0, 0]; squared = [2.25, 0, 0, 0]; relu keeps it.
    NDArray got = new Interpreter(r.module()).runFlat(Map.of("a", av, "b", bv)).get(0);
    assertEquals(2.25, got.getDouble(0), 1e-6);
    for (int i = 1; i < 4; i++) {
      assertEquals(0, got.getDouble(i), 0);
    }
  }

  private static List<String> externals(IRModule m) {
    List<String> out = new ArrayList<>();
    m.functions().forEach((n, f) -> {
      if (f.compiler() != null) {
        out.add(n);
      }
    });
    return out;
  }
}
