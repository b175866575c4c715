package dev.kbyoc.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.Var;
import dev.kbyoc.op.Target;
import dev.kbyoc.pass.AnnotatedRegionSet.Region;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * MergeCompilerRegions decides restrictions by reachability instead of TVM's restriction sets.
 * This test runs a literal port of TVM v0.7's {@code RegionMerger} (recursive, restriction sets
 * with ID renaming over all regions) on random annotated graphs and checks that both put every
 * begin/end pair in the same region or not.
 */
class MergeRestrictionCrossCheckTest {
  static final String[] UNARY = {"nn.relu", "abs", "tanh"};
  static final String[] BINARY = {"add", "subtract", "multiply"};

  /** TVM's RegionMerger, as written in merge_compiler_regions.cc. */
  static final class TvmMerger {
    final AnnotatedRegionSet regions;
    final Set<Integer> merged = new HashSet<>();
    final Map<Integer, Set<Integer>> restrictions = new HashMap<>();
    final Set<Expr> visited = Collections.newSetFromMap(new IdentityHashMap<>());

    TvmMerger(AnnotatedRegionSet regions) {
      this.regions = regions;
    }

    void visitExpr(Expr root) {
      for (Expr e : PostOrder.of(root)) {
        if (visited.add(e)) {
          visitCall(e);
        }
      }
    }

    void visitCall(Expr e) {
      if (!Annotations.isEnd(e)) {
        return;
      }
      Region region = regions.regionOf(e);
      if (merged.contains(region.id())) {
        return;
      }
      for (Call begin : region.inputs()) {
        Region parent = regions.regionOf(begin.arg(0));
        if (parent != null && !merged.contains(parent.id())) {
          visitExpr(begin.arg(0));
        }
      }
      Set<Region> mergeable = new LinkedHashSet<>();
      for (Call begin : region.inputs()) {
        Region parent = regions.regionOf(begin.arg(0));
        if (parent != null) {
          mergeable.add(parent);
        }
      }
      Set<Integer> mine = restrictions.computeIfAbsent(region.id(), k -> new HashSet<>());
      for (Region p : mergeable) {
        mine.addAll(restrictions.getOrDefault(p.id(), Set.of()));
      }
      for (Region p : mergeable) {
        if (!p.target().equals(region.target())) {
          mine.add(p.id());
          continue;
        }
        if (mine.contains(p.id())) {
          continue;
        }
        regions.merge(p, region);
        for (Set<Integer> r : restrictions.values()) {
          if (r.remove(p.id())) {
            r.add(region.id());
          }
        }
      }
      merged.add(region.id());
    }
  }

  static Function randomGraph(Random r, int n) {
    List<Var> vars = new ArrayList<>();
    List<Expr> nodes = new ArrayList<>();
    Set<Expr> used = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < 3; i++) {
      Var v = G.v("in" + i, 4);
      vars.add(v);
      nodes.add(v);
    }
    for (int i = 0; i < n; i++) {
      Expr a = nodes.get(nodes.size() - 1 - r.nextInt(Math.min(nodes.size(), 6)));
      used.add(a);
      if (r.nextBoolean()) {
        nodes.add(G.op(UNARY[r.nextInt(UNARY.length)], a));
      } else {
        Expr b = nodes.get(r.nextInt(nodes.size()));
        used.add(b);
        nodes.add(G.op(BINARY[r.nextInt(BINARY.length)], a, b));
      }
    }
    List<Expr> sinks = new ArrayList<>();
    for (Expr e : nodes) {
      if (!used.contains(e) && !(e instanceof Var)) {
        sinks.add(e);
      }
    }
    return G.fn(vars, sinks.size() == 1 ? sinks.get(0) : new Tuple(sinks));
  }

  static List<String> randomOps(Random r) {
    List<String> ops = new ArrayList<>();
    for (String o : UNARY) {
      if (r.nextInt(3) > 0) {
        ops.add(o);
      }
    }
    for (String o : BINARY) {
      if (r.nextInt(3) > 0) {
        ops.add(o);
      }
    }
    return ops;
  }

  /** For every begin(end(x)) edge: whether the two sides share a region. */
  static List<Boolean> internalEdges(Function annotated, AnnotatedRegionSet regions) {
    List<Boolean> out = new ArrayList<>();
    for (Expr e : PostOrder.of(annotated.body())) {
      if (Annotations.isBegin(e) && Annotations.isEnd(Annotations.arg(e))) {
        out.add(regions.regionOf(e) == regions.regionOf(Annotations.arg(e)));
      }
    }
    return out;
  }

  @Test
  void reachabilityAgreesWithTvmRestrictionSets() {
    int differing = 0;
    int merges = 0;
    for (long seed = 1; seed <= 400; seed++) {
      Random r = new Random(seed);
      Function f = randomGraph(r, 4 + r.nextInt(30));
      List<Target> targets = new ArrayList<>();
      targets.add(Target.ofOps("A", randomOps(r)));
      if (r.nextBoolean()) {
        targets.add(Target.ofOps("B", randomOps(r)));
      }
      IRModule annotated = AnnotateTarget.run(G.mod(f), targets);
      Function main = annotated.main();

      AnnotatedRegionSet tvm = AnnotatedRegionSet.create(main.body());
      new TvmMerger(tvm).visitExpr(main.body());
      AnnotatedRegionSet ours = MergeCompilerRegions.mergedRegions(main);
      List<Boolean> expected = internalEdges(main, tvm);
      List<Boolean> actual = internalEdges(main, ours);
      if (!expected.equals(actual)) {
        differing++;
      }
      assertEquals(expected, actual, "seed " + seed);
      merges += (int) expected.stream().filter(b -> b).count();
    }
    assertEquals(0, differing);
    org.junit.jupiter.api.Assertions.assertTrue(merges > 400, "the random graphs exercise merging: " + merges);
  }
}
