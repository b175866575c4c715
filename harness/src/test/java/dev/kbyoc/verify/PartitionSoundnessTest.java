package dev.kbyoc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.Var;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionSoundnessTest {
  private final PartitionFixtures f = new PartitionFixtures();
  private final PartitionSoundness oracle = new PartitionSoundness();

  private Verdict check(IRModule partitioned) {
    return oracle.check(f.original, partitioned, PartitionFixtures.T, PartitionFixtures.ADD_ONLY);
  }

  @Test
  void correctPartitionPasses() {
    assertTrue(check(f.correct()).passed(), () -> check(f.correct()).toString());
  }

  @Test
  void unpartitionedModuleLeavesSupportedOpsOnHost() {
    Verdict v = check(f.original);
    assertEquals("supported-on-host", v.kind(), v.toString());
    assertTrue(v.message().contains("%0"), v.message());
  }

  @Test
  void offloadingAnUnsupportedOpIsCaught() {
    SupportRule none = (t, c) -> false;
    Verdict v = oracle.check(f.original, f.correct(), PartitionFixtures.T, none);
    assertEquals("unsupported-offloaded", v.kind(), v.toString());
  }

  @Test
  void regionCycleIsCaught() {
    Verdict v = check(f.cyclic());
    assertEquals("region-cycle", v.kind(), v.toString());
    assertTrue(v.message().contains("@t_0"), v.message());
  }

  @Test
  void duplicatedAndMissingOpsAreCaught() {
    Var mx = new Var("x", PartitionFixtures.TY);
    Var p = new Var("p", PartitionFixtures.TY);
    Function t0 = PartitionFixtures.external("t_0", List.of(p), PartitionFixtures.call("add", 0, p, new Constant(PartitionFixtures.C)));
    Call y0 = new Call(new GlobalVar("t_0"), List.of(mx), Attrs.empty());
    // %0 also computed on the host: a duplicate.
    Call dup = PartitionFixtures.call("add", 0, mx, new Constant(PartitionFixtures.C));
    IRModule twice = PartitionFixtures.module(new Function(List.of(mx), PartitionFixtures.call("add", 2, y0, dup)), Map.of("t_0", t0));
    assertEquals("op-duplicated", check(twice).kind());
    IRModule missing = PartitionFixtures.module(new Function(List.of(mx), y0), Map.of("t_0", t0));
    assertEquals("op-missing", check(missing).kind());
  }

  @Test
  void badFunctionAttrsAndChangedOpsAreCaught() {
    IRModule good = f.correct();
    Function t0 = good.get("t_0");
    IRModule noInline = good.with("t_0", t0.withAttrs(t0.attrs().without(Function.ATTR_INLINE)));
    assertEquals("bad-function", check(noInline).kind());
    Var mx = new Var("x", PartitionFixtures.TY);
    Call y0 = new Call(new GlobalVar("t_0"), List.of(mx), Attrs.empty());
    Call wrongOp = PartitionFixtures.call("add", 1, y0, y0);
    Call y2 = new Call(new GlobalVar("t_1"), List.of(wrongOp, y0), Attrs.empty());
    IRModule changed = PartitionFixtures.module(new Function(List.of(mx), y2), Map.of("t_0", t0, "t_1", good.get("t_1")));
    assertEquals("op-changed", check(changed).kind());
  }

  @Test
  void supportedOpsOfARejectedRegionMayStayOnTheHostButNotThoseOfALegalOne() {
    // t supports add; its codegen rejects regions with two inputs, i.e. t_1 = add(relu(%0), %0).
    dev.kbyoc.op.Target t = dev.kbyoc.op.Target.builder(PartitionFixtures.T)
        .op("add", c -> dev.kbyoc.op.Support.yes())
        .regionCheck(fn -> fn.params().size() > 1 ? "two inputs" : null).build();
    IRModule merged = dev.kbyoc.pass.MergeCompilerRegions.run(dev.kbyoc.pass.AnnotateTarget.run(f.original, List.of(t)));
    IRModule legal = dev.kbyoc.pass.LegalizeRegions.run(dev.kbyoc.pass.PartitionGraph.run(merged), List.of(t)).module();
    java.util.Set<dev.kbyoc.ir.Span> returned = PartitionSoundness.returnedToHost(merged, t);
    assertEquals(java.util.Set.of(f.a2.span()), returned);
    assertTrue(oracle.check(f.original, legal, PartitionFixtures.T, PartitionFixtures.ADD_ONLY, returned).passed());
    Verdict strict = check(legal);
    assertEquals("supported-on-host", strict.kind(), strict.toString());
    assertTrue(strict.message().contains("%2"), strict.message());
    // %0's region t_0 is legal: leaving it on the host is still caught.
    Verdict v = oracle.check(f.original, f.original, PartitionFixtures.T, PartitionFixtures.ADD_ONLY, returned);
    assertEquals("supported-on-host", v.kind(), v.toString());
    assertTrue(v.message().contains("%0"), v.message());
  }
}
