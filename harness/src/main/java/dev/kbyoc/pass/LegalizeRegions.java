package dev.kbyoc.pass;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.ExprMutator;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import dev.kbyoc.op.Target;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs right after {@link PartitionGraph}: asks each external function's target
 * ({@link Target#checkRegion}) whether its codegen can compile the whole region, and inlines every
 * rejected one back into its callers (params replaced by the call's arguments,
 * {@code TupleGetItem(Tuple)} folded), so its ops run on the host instead of failing the build.
 * Repeats until no region is rejected. The remaining regions keep PartitionGraph's names (TVM's
 * region numbering, so gaps may appear). Op-level support decides annotation; this decides
 * whether a merged region as a whole is legal for the codegen.
 */
public final class LegalizeRegions {
  /** The pass name. */
  public static final String NAME = "LegalizeRegions";

  /** The legalized module and, per rejected function name, the target's reason. */
  public record Result(IRModule module, Map<String, String> rejected) {}

  private LegalizeRegions() {}

  /** The pass for the given targets (functions of other compilers are left alone). */
  public static Pass create(List<Target> targets) {
    return Pass.module(NAME, m -> run(m, targets).module());
  }

  /** Legalizes {@code module}; the functions to check are typed first (nothing is done when no target checks regions). */
  public static Result run(IRModule module, List<Target> targets) {
    Map<String, Target> byName = new LinkedHashMap<>();
    for (Target t : targets) {
      if (t.hasRegionCheck()) {
        byName.put(t.name(), t);
      }
    }
    if (byName.isEmpty()) {
      return new Result(module, Map.of());
    }
    Map<String, String> rejected = new LinkedHashMap<>();
    IRModule m = module;
    while (true) {
      IRModule typed = InferType.run(m);
      Map<String, Function> drop = new LinkedHashMap<>();
      for (Map.Entry<String, Function> e : typed.functions().entrySet()) {
        String compiler = e.getValue().compiler();
        Target t = compiler == null ? null : byName.get(compiler);
        if (t == null) {
          continue;
        }
        String reason = t.checkRegion(e.getValue());
        if (reason != null) {
          rejected.put(e.getKey(), reason);
          drop.put(e.getKey(), m.get(e.getKey()));
        }
      }
      if (drop.isEmpty()) {
        return new Result(m, rejected);
      }
      m = inline(m, drop);
    }
  }

  private static IRModule inline(IRModule m, Map<String, Function> drop) {
    IRModule out = m;
    for (String name : drop.keySet()) {
      out = out.without(name);
    }
    for (Map.Entry<String, Function> e : out.functions().entrySet()) {
      Function f = e.getValue();
      Expr r = new Inliner(drop).mutate(f);
      if (r != f) {
        out = out.with(e.getKey(), (Function) r);
      }
    }
    return out;
  }

  /** Replaces calls of dropped globals by their bodies. */
  private static final class Inliner extends ExprMutator {
    private final Map<String, Function> drop;

    Inliner(Map<String, Function> drop) {
      this.drop = drop;
    }

    @Override
    protected Expr rewriteCall(Call original, Call updated) {
      if (updated.op() instanceof GlobalVar g && drop.containsKey(g.name())) {
        Function callee = drop.get(g.name());
        Map<Var, Expr> subst = new IdentityHashMap<>();
        for (int i = 0; i < callee.params().size(); i++) {
          subst.put(callee.params().get(i), updated.args().get(i));
        }
        return new Substitute(subst).mutate(callee.body());
      }
      return updated;
    }

    @Override
    protected Expr rewriteTupleGetItem(TupleGetItem original, TupleGetItem updated) {
      return updated.tuple() instanceof Tuple t ? t.fields().get(updated.index()) : updated;
    }
  }

  /** Replaces params by arguments in a callee body. */
  private static final class Substitute extends ExprMutator {
    private final Map<Var, Expr> subst;

    Substitute(Map<Var, Expr> subst) {
      this.subst = subst;
    }

    @Override
    protected Expr rewriteVar(Var var) {
      Expr r = subst.get(var);
      return r == null ? var : r;
    }
  }
}
