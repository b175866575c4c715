package dev.kbyoc.verify;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Span;
import dev.kbyoc.op.Target;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.pass.PartitionGraph;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Oracle 1: the partition is sound. Checked, in this order, each with its own kind:
 * {@code annotation-left} (no compiler_begin/end survives), {@code bad-function} (external
 * functions carry Compiler=target, global_symbol=their name, Primitive=1, Inline=1),
 * {@code op-missing} / {@code op-duplicated} / {@code op-extra} (each original op appears exactly
 * once), {@code op-changed} / {@code type-changed} (op, attrs and type preserved),
 * {@code unsupported-offloaded} and {@code supported-on-host} (every supported op must be offloaded,
 * except the ops of a region the target's codegen rejects as a whole: LegalizeRegions returns those
 * to the host; the oracle finds them itself by partitioning the merged module and asking the
 * target's {@code checkRegion}), {@code region-cycle} (the regions, contracted, form no
 * cycle through the host graph). The merged regions are checked for cycles before partitioning
 * too, since a cyclic region cannot be lifted into a function at all.
 */
public final class PartitionSoundness implements Oracle {
  public static final String NAME = "partition-soundness";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Verdict check(CaseRun run) {
    List<String> merged = RegionCycles.find(run.merged().main().body(), MergedRegions.regionOf(run.merged().main()));
    if (merged != null) {
      return fail("region-cycle", "MergeCompilerRegions made regions that form a cycle: " + String.join(" -> ", merged));
    }
    Target t = run.toolchain().target(run.target());
    return check(run.bound(), run.partitioned(), run.target(), run.toolchain().support(),
        t == null ? Set.of() : returnedToHost(run.merged(), t));
  }

  /** The source spans of the ops in regions of {@code merged} that {@code t} rejects as a whole. */
  public static Set<Span> returnedToHost(IRModule merged, Target t) {
    if (!t.hasRegionCheck()) {
      return Set.of();
    }
    String target = t.name();
    IRModule raw = InferType.run(PartitionGraph.run(merged));
    Set<Span> out = new HashSet<>();
    for (Function f : raw.functions().values()) {
      if (target.equals(f.compiler()) && t.checkRegion(f) != null) {
        for (Expr e : PostOrder.of(f.body())) {
          if (e instanceof Call c && c.op() instanceof dev.kbyoc.ir.Op && c.span().isKnown()) {
            out.add(c.span());
          }
        }
      }
    }
    return out;
  }

  /** Checks a partitioned module against the module it came from (no region returned to the host). */
  public Verdict check(IRModule original, IRModule partitioned, String target, SupportRule support) {
    return check(original, partitioned, target, support, Set.of());
  }

  /**
   * Checks a partitioned module against the module it came from; supported ops whose span is in
   * {@code returnedToHost} may stay on the host.
   */
  public Verdict check(IRModule original, IRModule partitioned, String target, SupportRule support,
      Set<Span> returnedToHost) {
    OpInventory before = OpInventory.of(original);
    OpInventory after = OpInventory.of(partitioned);
    if (!after.annotations.isEmpty()) {
      return fail("annotation-left", after.annotations.get(0).call().describe() + " is still in @" + after.annotations.get(0).function());
    }
    String bad = badFunction(partitioned, target);
    if (bad != null) {
      return fail("bad-function", bad);
    }
    Map<Span, String> regionOf = new HashMap<>();
    for (Map.Entry<Span, List<OpInventory.Site>> e : before.bySpan.entrySet()) {
      Call orig = e.getValue().get(0).call();
      List<OpInventory.Site> sites = after.bySpan.getOrDefault(e.getKey(), List.of());
      if (sites.isEmpty()) {
        return fail("op-missing", orig.describe() + " (" + orig.opOrNull().name() + ") is in no function of the partitioned module");
      }
      if (sites.size() > 1) {
        return fail("op-duplicated", orig.describe() + " appears " + sites.size() + " times, in @" + sites.get(0).function()
            + " and @" + sites.get(1).function());
      }
      OpInventory.Site s = sites.get(0);
      String changed = changed(orig, s.call());
      if (changed != null) {
        return fail(changed.startsWith("type") ? "type-changed" : "op-changed", orig.describe() + ": " + changed);
      }
      boolean offloaded = s.compiler() != null;
      if (offloaded && !support.supported(s.compiler(), orig)) {
        return fail("unsupported-offloaded", orig.describe() + " (" + orig.opOrNull().name() + ") is offloaded to @"
            + s.function() + " but " + s.compiler() + " does not support it");
      }
      if (!offloaded && support.supported(target, orig) && !returnedToHost.contains(e.getKey())) {
        return fail("supported-on-host", orig.describe() + " (" + orig.opOrNull().name() + ") is supported by " + target
            + " but stays on the host in @" + s.function());
      }
      if (offloaded) {
        regionOf.put(e.getKey(), s.function());
      }
    }
    for (Map.Entry<Span, List<OpInventory.Site>> e : after.bySpan.entrySet()) {
      if (!before.bySpan.containsKey(e.getKey())) {
        return fail("op-extra", e.getValue().get(0).call().describe() + " in @" + e.getValue().get(0).function()
            + " is not an op of the original module");
      }
    }
    if (after.anonymous.size() != before.anonymous.size()) {
      return fail("op-extra", after.anonymous.size() + " ops without source location after partitioning, "
          + before.anonymous.size() + " before");
    }
    List<String> cycle = RegionCycles.find(original.main().body(), regionOf);
    if (cycle != null) {
      return fail("region-cycle", "regions form a cycle through the host graph: " + String.join(" -> ", cycle));
    }
    return Verdict.pass();
  }

  private static String changed(Call a, Call b) {
    if (a.op() != b.op()) {
      return "op " + a.op() + " became " + b.op();
    }
    if (!a.attrs().equals(b.attrs())) {
      return "attrs " + a.attrs() + " became " + b.attrs();
    }
    if (a.checkedType() != null && b.checkedType() != null && !a.checkedType().equals(b.checkedType())) {
      return "type " + a.checkedType() + " became " + b.checkedType();
    }
    return null;
  }

  private static String badFunction(IRModule m, String target) {
    for (Map.Entry<String, Function> e : m.functions().entrySet()) {
      Function f = e.getValue();
      String compiler = f.compiler();
      if (compiler == null) {
        continue;
      }
      String name = e.getKey();
      if (!compiler.equals(target)) {
        return "@" + name + " has Compiler=" + compiler + ", expected " + target;
      }
      if (!name.matches(java.util.regex.Pattern.quote(compiler) + "_\\d+")) {
        return "@" + name + " is not named " + compiler + "_<region id>";
      }
      if (!name.equals(f.attrs().getString(Function.ATTR_GLOBAL_SYMBOL, null))) {
        return "@" + name + " has global_symbol=" + f.attrs().get(Function.ATTR_GLOBAL_SYMBOL);
      }
      if (!f.isPrimitive() || !f.attrs().has(Function.ATTR_INLINE) || f.attrs().getLong(Function.ATTR_INLINE) != 1) {
        return "@" + name + " lacks Primitive=1 or Inline=1 (attrs " + f.attrs() + ")";
      }
    }
    return null;
  }

  private static Verdict fail(String kind, String message) {
    return Verdict.fail(NAME, kind, message);
  }
}
