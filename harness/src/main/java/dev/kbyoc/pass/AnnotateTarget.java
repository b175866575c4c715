package dev.kbyoc.pass;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.ExprMap;
import dev.kbyoc.ir.ExprMutator;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.op.Support;
import dev.kbyoc.op.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Marks every operator call with the target that will run it, as TVM's {@code AnnotateTarget}
 * (v0.7): {@code compiler_end(producer target)} then {@code compiler_begin(consumer target)} on
 * every argument edge.
 *
 * <p><b>Input:</b> a typed module (support predicates see argument types).
 * <b>Output:</b> the same functions with annotations, retyped; functions with a {@code Compiler}
 * attribute are left alone.
 * <b>Algorithm</b> (one post-order rewrite per function):
 * <ol>
 *   <li>an op call's target is the first target in the list whose predicate accepts the call,
 *       else {@code default}; a call already annotated for a non-default target (its first
 *       argument is such a {@code compiler_begin}) keeps that target first, so running the pass
 *       again with more targets only adds;
 *   <li>each argument that is a call, tuple or projection is wrapped in {@code compiler_end} with
 *       its own target, then every argument (vars and constants directly) in
 *       {@code compiler_begin} with the consumer's target; each edge gets its own annotations;
 *   <li>a tuple or projection takes its producers' common target, {@code default} when they
 *       differ or when a field is a var or constant;
 *   <li>the function body gets a {@code compiler_end} with its target; existing annotations are
 *       stripped and rebuilt.
 * </ol>
 * <b>Runs after:</b> {@link BindParams}, {@link InferType}. <b>Runs before:</b>
 * {@link MergeCompilerRegions}.
 */
public final class AnnotateTarget {
  public static final String NAME = "AnnotateTarget";

  private AnnotateTarget() {}

  /** The pass for targets in priority order, followed by {@link InferType}. */
  public static Pass create(List<Target> targets) {
    List<Target> ts = List.copyOf(targets);
    return Pass.sequence(NAME, Pass.module(NAME + "Func", m -> run(m, ts)), InferType.create());
  }

  /** Annotates every non-external function of a typed module. */
  public static IRModule run(IRModule module, List<Target> targets) {
    InferType.run(module);
    Map<String, Function> out = new LinkedHashMap<>();
    module.functions().forEach((name, f) ->
        out.put(name, f.compiler() != null ? f : (Function) new Rewriter(targets).mutate(f)));
    return IRModule.of(out);
  }

  /** One line of {@code partition --explain}: a call, its chosen target and each target's verdict. */
  public record Decision(Call call, String target, Map<String, Support> verdicts) {}

  /**
   * For each op call of a typed function (post-order), the target AnnotateTarget gives it and why
   * each listed target does or does not take it.
   */
  public static List<Decision> explain(Function f, List<Target> targets) {
    List<Decision> out = new ArrayList<>();
    for (Expr e : PostOrder.of(f.body())) {
      if (e instanceof Call c && c.opOrNull() != null && !Annotations.isAnnotation(c)) {
        Map<String, Support> verdicts = new LinkedHashMap<>();
        String chosen = Target.DEFAULT;
        for (Target t : targets) {
          Support s = t.check(c);
          verdicts.put(t.name(), s);
          if (s.supported() && chosen.equals(Target.DEFAULT)) {
            chosen = t.name();
          }
        }
        out.add(new Decision(c, chosen, verdicts));
      }
    }
    return out;
  }

  /** The post-order rewriter of one function; holds the target chosen for each new node. */
  private static final class Rewriter extends ExprMutator {
    private final List<Target> targets;
    private final ExprMap<String> targetOf = new ExprMap<>();

    Rewriter(List<Target> targets) {
      this.targets = targets;
    }

    private record Annotated(String target, List<Expr> args) {}

    /** TVM's {@code AnnotateArgs}: ends with each producer's target, begins with {@code target} (or the common one). */
    private Annotated annotateArgs(List<Expr> args, String target) {
      String ref = "";
      List<Expr> ends = new ArrayList<>(args.size());
      for (Expr arg : args) {
        String argTarget = Target.DEFAULT;
        String t = targetOf.get(arg);
        if (t != null) {
          argTarget = t;
          ends.add(Annotations.end(arg, t));
        } else {
          ends.add(arg);
        }
        if (ref.isEmpty()) {
          ref = argTarget;
        } else if (!ref.equals(argTarget)) {
          ref = Target.DEFAULT;
        }
      }
      String opTarget = target.isEmpty() ? (ref.isEmpty() ? Target.DEFAULT : ref) : target;
      List<Expr> begins = new ArrayList<>(ends.size());
      for (Expr e : ends) {
        begins.add(Annotations.begin(e, opTarget));
      }
      return new Annotated(opTarget, begins);
    }

    @Override
    protected Expr rewriteCall(Call pre, Call post) {
      if (Annotations.isBegin(pre)) {
        return post.arg(0);
      }
      if (Annotations.isEnd(pre)) {
        Expr input = post.arg(0);
        String t = targetOf.get(input);
        if (t == null) {
          throw new KbyocException("compiler_end at " + pre.describe() + " does not follow an annotated node");
        }
        return Annotations.end(input, t);
      }
      List<String> supported = new ArrayList<>();
      if (!pre.args().isEmpty() && Annotations.isBegin(pre.arg(0))) {
        String prev = Annotations.compiler(pre.arg(0));
        if (!prev.equals(Target.DEFAULT)) {
          supported.add(prev);
        }
      }
      if (pre.opOrNull() != null) {
        for (Target t : targets) {
          if (t.check(pre).supported()) {
            supported.add(t.name());
          }
        }
      }
      supported.add(Target.DEFAULT);
      String target = supported.get(0);
      Annotated a = annotateArgs(post.args(), target);
      Call call = new Call(post.op(), a.args(), post.attrs(), post.span());
      targetOf.put(call, target);
      return call;
    }

    @Override
    protected Expr rewriteTuple(Tuple pre, Tuple post) {
      Annotated a = annotateArgs(post.fields(), "");
      Tuple t = new Tuple(a.args(), post.span());
      targetOf.put(t, a.target());
      return t;
    }

    @Override
    protected Expr rewriteTupleGetItem(TupleGetItem pre, TupleGetItem post) {
      Annotated a = annotateArgs(List.of(post.tuple()), "");
      TupleGetItem g = new TupleGetItem(a.args().get(0), post.index(), post.span());
      targetOf.put(g, a.target());
      return g;
    }

    @Override
    protected Expr rewriteFunction(Function pre, Function post) {
      Expr body = post.body();
      String t = targetOf.get(body);
      if (t != null) {
        Expr end = Annotations.end(body, t);
        targetOf.put(end, t);
        body = end;
      }
      return new Function(post.params(), body, post.retType(), post.attrs(), post.span());
    }
  }
}
