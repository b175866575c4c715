package dev.kbyoc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.Var;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SemanticEquivalenceTest {
  private final PartitionFixtures f = new PartitionFixtures();

  private Verdict check(IRModule partitioned) {
    GraphCase c = new GraphCase(f.original, Map.of(), Map.of("x", PartitionFixtures.X), 1, GenOptions.DEFAULT);
    Toolchain tc = new Toolchain() {
      @Override
      public IRModule bind(GraphCase gc) {
        return gc.module();
      }

      @Override
      public IRModule merge(IRModule bound, String target) {
        return bound;
      }

      @Override
      public IRModule partition(IRModule merged) {
        return partitioned;
      }

      @Override
      public dev.kbyoc.build.BuildResult build(IRModule m) {
        throw new UnsupportedOperationException("this test toolchain does not build");
      }

      @Override
      public SupportRule support() {
        return PartitionFixtures.ADD_ONLY;
      }
    };
    return new SemanticEquivalence().check(new CaseRun(c, tc));
  }

  @Test
  void correctPartitionIsBitIdentical() {
    assertTrue(check(f.correct()).passed());
  }

  @Test
  void swappedRegionInputsAreCaught() {
    IRModule good = f.correct();
    Var mx = new Var("x", PartitionFixtures.TY);
    Call y0 = new Call(new GlobalVar("t_0"), List.of(mx), Attrs.empty());
    // relu reads x instead of t_0's output: what a dropped region output looks like to the host.
    Call y1 = PartitionFixtures.call("nn.relu", 1, mx);
    Call y2 = new Call(new GlobalVar("t_1"), List.of(y1, y0), Attrs.empty());
    IRModule bad = PartitionFixtures.module(new Function(List.of(mx), y2), Map.of("t_0", good.get("t_0"), "t_1", good.get("t_1")));
    Verdict v = check(bad);
    assertEquals(SemanticEquivalence.NAME, v.oracle());
    assertEquals("value-mismatch", v.kind(), v.toString());
  }
}
