package dev.kbyoc.pass;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.ExprMutator;
import dev.kbyoc.ir.Faults;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.pass.AnnotatedRegionSet.Region;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Grows each annotated region by merging its parent regions of the same target into it, as TVM's
 * {@code MergeCompilerRegions}, then drops the {@code compiler_end}/{@code compiler_begin} pairs
 * that became internal. Regions of different targets never merge, and a merge never creates a
 * cycle between regions.
 *
 * <p><b>Input:</b> an annotated module ({@link AnnotateTarget}). <b>Output:</b> the same
 * annotations minus the internal pairs, retyped.
 * <b>Algorithm:</b>
 * <ol>
 *   <li>build the {@link AnnotatedRegionSet} of each function body;
 *   <li>walk the body in post-order; at the first {@code compiler_end} of a region not yet
 *       processed, first walk the subgraphs feeding its unprocessed parent regions (TVM's
 *       recursion, done with an explicit stack), then merge into it each parent region of the same
 *       target that is not restricted;
 *   <li>TVM restricts parent P of region C when P is in C's restriction set: the union of the
 *       parents' sets plus the parents of another target, with IDs renamed on merges. That holds
 *       exactly when P reaches another parent of C, i.e. when merging would make a cycle through
 *       a third region. We answer that by a backward search over region edges from C's other
 *       parents, pruned to regions whose latest node comes after P's earliest one in topological
 *       order, instead of materialising the sets (quadratic on long alternating graphs);
 *   <li>rewrite: {@code compiler_begin(compiler_end(x))} with both ends in one region becomes
 *       {@code x}.
 * </ol>
 * <b>Runs after:</b> {@link AnnotateTarget}. <b>Runs before:</b> {@link PartitionGraph}.
 */
public final class MergeCompilerRegions {
  public static final String NAME = "MergeCompilerRegions";

  private MergeCompilerRegions() {}

  /** The pass followed by {@link InferType}. */
  public static Pass create() {
    return Pass.sequence(NAME, Pass.module(NAME + "Func", MergeCompilerRegions::run), InferType.create());
  }

  /** Merges regions in every non-external function. */
  public static IRModule run(IRModule module) {
    Map<String, Function> out = new LinkedHashMap<>();
    module.functions().forEach((name, f) -> out.put(name, f.compiler() != null ? f : merge(f)));
    return IRModule.of(out);
  }

  /** The merged region set of one function (analysis only; the function is not changed). */
  public static AnnotatedRegionSet mergedRegions(Function f) {
    AnnotatedRegionSet regions = AnnotatedRegionSet.create(f.body());
    new Merger(regions).run(f.body());
    return regions;
  }

  static Function merge(Function f) {
    AnnotatedRegionSet regions = mergedRegions(f);
    return (Function) new ExprMutator() {
      @Override
      protected Expr rewriteCall(Call pre, Call post) {
        if (Annotations.isBegin(pre) && Annotations.isEnd(pre.arg(0))) {
          Region r1 = regions.regionOf(pre);
          Region r2 = regions.regionOf(pre.arg(0));
          if (r1 != null && r1 == r2) {
            return ((Call) post.arg(0)).arg(0);
          }
        }
        return post;
      }
    }.mutate(f);
  }

  /** TVM's {@code RegionMerger}, iterative. */
  private static final class Merger {
    private final AnnotatedRegionSet regions;
    /** Processed regions, by ID (IDs are dense: see {@link AnnotatedRegionSet#createdCount}). */
    private final BitSet processed;
    /** Per region ID, the {@link #restricted} search (epoch) that last expanded it. */
    private final int[] expandedAt;
    private int epoch;
    private DataflowWalk walk;

    Merger(AnnotatedRegionSet regions) {
      this.regions = regions;
      this.processed = new BitSet(regions.createdCount());
      this.expandedAt = new int[regions.createdCount()];
    }

    void run(Expr body) {
      walk = new DataflowWalk(this::leaf);
      walk.visit(body);
    }

    private void leaf(Expr e) {
      if (!Annotations.isEnd(e)) {
        return;
      }
      Region r = regions.regionOf(e);
      if (processed.get(r.id())) {
        return;
      }
      if (!r.target().equals(Annotations.compiler(e))) {
        throw new KbyocException("compiler_end(" + Annotations.compiler(e) + ") at " + e.describe() + " closes " + r);
      }
      visitParents(r, r.inputs(), 0);
    }

    /** Walks the unprocessed parents' subgraphs one input at a time, then merges. */
    private void visitParents(Region r, List<Call> ins, int from) {
      for (int i = from; i < ins.size(); i++) {
        Expr arg = ins.get(i).arg(0);
        Region p = regions.regionOf(arg);
        if (p != null && !processed.get(p.id()) && !walk.visited(arg)) {
          int next = i + 1;
          walk.then(List.of(arg, (Runnable) () -> visitParents(r, ins, next)));
          return;
        }
      }
      mergeParents(r);
    }

    private void mergeParents(Region r) {
      if (processed.get(r.id())) {
        return;
      }
      List<Region> parents = regions.parents(r);
      List<Region> candidates = new ArrayList<>();
      for (Region p : parents) {
        if (p.target().equals(r.target())) {
          candidates.add(p);
        }
      }
      if (!candidates.isEmpty()) {
        Set<Region> restricted = parents.size() > 1 && !Faults.on(Faults.Fault.MERGE_IGNORES_RESTRICTIONS) ? restricted(parents, candidates)
            : Collections.emptySet();
        for (Region p : candidates) {
          if (!restricted.contains(p)) {
            regions.merge(p, r);
          }
        }
      }
      processed.set(r.id());
    }

    /** The candidates that reach another parent (merging them would close a cycle). */
    private Set<Region> restricted(List<Region> parents, List<Region> candidates) {
      epoch++;
      int lo = Integer.MAX_VALUE;
      for (Region c : candidates) {
        lo = Math.min(lo, c.minIndex());
      }
      Set<Region> parentSet = Collections.newSetFromMap(new IdentityHashMap<>());
      parentSet.addAll(parents);
      Set<Region> candidateSet = Collections.newSetFromMap(new IdentityHashMap<>());
      candidateSet.addAll(candidates);
      Set<Region> restricted = Collections.newSetFromMap(new IdentityHashMap<>());
      ArrayDeque<Region> stack = new ArrayDeque<>();
      for (Region x : parents) {
        if (x.maxIndex() > lo) {
          expandedAt[x.id()] = epoch;
          stack.push(x);
        }
      }
      final int bound = lo;
      final int ep = epoch;
      while (!stack.isEmpty()) {
        Region y = stack.pop();
        regions.forEachEdgeParent(y, z -> {
          if (parentSet.contains(z)) {
            if (candidateSet.contains(z)) {
              restricted.add(z);
            }
          } else if (z.maxIndex() > bound && expandedAt[z.id()] != ep) {
            expandedAt[z.id()] = ep;
            stack.push(z);
          }
        });
      }
      return restricted;
    }
  }
}
