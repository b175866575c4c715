package dev.kbyoc.pass;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.ExprMap;
import dev.kbyoc.ir.ExprSet;
import dev.kbyoc.ir.ExprMutator;
import dev.kbyoc.ir.Faults;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import dev.kbyoc.op.Target;
import dev.kbyoc.pass.AnnotatedRegionSet.Region;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lifts each annotated region into a global function for its external compiler, as TVM v0.7's
 * {@code PartitionGraph}.
 *
 * <p><b>Input:</b> a module annotated by {@link AnnotateTarget} (usually merged by
 * {@link MergeCompilerRegions}); regions must be disjoint.
 * <b>Output:</b> one global function per non-default region, named {@code <target>_<id>} with
 * TVM's region ID (so numbers may have gaps), attributes {@code global_symbol},
 * {@code Primitive=1}, {@code Compiler=<target>}, {@code Inline=1}; the caller calls it instead
 * of the region; no annotations left; retyped.
 * <b>Algorithm:</b>
 * <ol>
 *   <li>FlattenNestedTuples: {@code compiler_end(tuple)} becomes a tuple of
 *       {@code compiler_end}s of its fields; RemoveDefaultAnnotations: annotations of target
 *       {@code default} are dropped (one rewrite does both);
 *   <li>build the {@link AnnotatedRegionSet} of each function (fresh IDs) and rewrite its body in
 *       post-order: a {@code compiler_begin} becomes a parameter {@code <target>_<id>_i<k>} (k =
 *       its position among the region's inputs), one per distinct producer; an input that is a
 *       constant, or a tuple of constants, is put inside instead (TVM binds it); at the first
 *       {@code compiler_end} of a region the function is built from the region's distinct
 *       outputs (a tuple when several) and called with the non-constant inputs; each
 *       {@code compiler_end} becomes that call, or a {@code TupleGetItem} of it;
 *   <li>{@link InferType}.
 * </ol>
 * <b>Runs after:</b> {@link MergeCompilerRegions}. <b>Runs before:</b> the build.
 */
public final class PartitionGraph {
  public static final String NAME = "PartitionGraph";

  private PartitionGraph() {}

  public static Pass create() {
    return Pass.sequence(NAME,
        Pass.module("FlattenNestedTuples+RemoveDefaultAnnotations", m -> eachFunction(m, PartitionGraph::prepare)),
        Pass.module(NAME + "Lift", PartitionGraph::partition),
        InferType.create());
  }

  /**
   * A function as the partitioner numbers it (tuples flattened, default annotations removed) and
   * its region set: region IDs here are the numbers in the lifted functions' names. For tools
   * that draw regions ({@code kbyoc partition --dot}).
   */
  public record Regions(Function function, AnnotatedRegionSet regions) {}

  /** The regions PartitionGraph will lift from an annotated (usually merged) function. */
  public static Regions regions(Function annotated) {
    Function p = prepare(annotated);
    return new Regions(p, AnnotatedRegionSet.create(p.body()));
  }

  /** All steps without a pass context. */
  public static IRModule run(IRModule m) {
    return create().apply(m, PassContext.defaults());
  }

  private static IRModule eachFunction(IRModule m, java.util.function.UnaryOperator<Function> f) {
    Map<String, Function> out = new LinkedHashMap<>();
    m.functions().forEach((name, fn) -> out.put(name, fn.compiler() != null ? fn : f.apply(fn)));
    return IRModule.of(out);
  }

  /**
   * TVM's FlattenNestedTuples then RemoveDefaultAnnotations, fused into one post-order rewrite
   * (same result: a default end on a tuple would be flattened into default ends and then
   * removed, so it is simply removed).
   */
  static Function prepare(Function f) {
    return (Function) new ExprMutator() {
      @Override
      protected Expr rewriteCall(Call pre, Call post) {
        if (!Annotations.isAnnotation(pre)) {
          return post;
        }
        String target = Annotations.compiler(pre);
        if (Target.DEFAULT.equals(target)) {
          return post.arg(0);
        }
        if (Annotations.isEnd(pre) && post.arg(0) instanceof Tuple t) {
          List<Expr> fields = new ArrayList<>();
          for (Expr x : t.fields()) {
            fields.add(Annotations.end(x, target));
          }
          return new Tuple(fields, t.span());
        }
        return post;
      }
    }.mutate(f);
  }

  static IRModule partition(IRModule m) {
    InferType.run(m);
    Map<String, Function> lifted = new LinkedHashMap<>();
    Map<String, Function> out = new LinkedHashMap<>();
    for (Map.Entry<String, Function> e : m.functions().entrySet()) {
      Function f = e.getValue();
      if (f.compiler() != null) {
        out.put(e.getKey(), f);
        continue;
      }
      Partitioner p = new Partitioner(m, f, lifted);
      Expr body = p.run();
      out.put(e.getKey(), body == f.body() ? f : new Function(f.params(), body, f.retType(), f.attrs(), f.span()));
    }
    for (Map.Entry<String, Function> e : lifted.entrySet()) {
      if (out.containsKey(e.getKey())) {
        throw new KbyocException("global function @" + e.getKey() + " already exists; is the module partitioned already?");
      }
      out.put(e.getKey(), e.getValue());
    }
    return IRModule.of(out);
  }

  /** Per-region state: TVM's {@code RegionFuncMetadata}. */
  private static final class RegionFunc {
    final List<Var> params = new ArrayList<>();
    final List<Expr> callArgs = new ArrayList<>();
    final ExprMap<Expr> inputFor = new ExprMap<>();
    final ExprMap<Expr> outputFor = new ExprMap<>();
    ExprMap<Integer> inputIndex;
    boolean built;
  }

  /** Rewrites one function body; lifted functions are added to {@code lifted}. */
  private static final class Partitioner {
    private final IRModule module;
    private final Function function;
    private final Map<String, Function> lifted;
    private final AnnotatedRegionSet regions;
    private final ExprMap<Expr> memo = new ExprMap<>();
    /** Per region ID (dense, see {@link AnnotatedRegionSet#createdCount}). */
    private final RegionFunc[] funcs;
    private DataflowWalk walk;

    Partitioner(IRModule module, Function function, Map<String, Function> lifted) {
      this.module = module;
      this.function = function;
      this.lifted = lifted;
      this.regions = AnnotatedRegionSet.create(function.body());
      this.funcs = new RegionFunc[regions.createdCount()];
    }

    Expr run() {
      walk = new DataflowWalk(this::leaf);
      walk.visit(function.body());
      return memo.get(function.body());
    }

    private Expr post(Expr e) {
      Expr r = memo.get(e);
      if (r == null) {
        throw new IllegalStateException("not yet rewritten: " + e);
      }
      return r;
    }

    private void leaf(Expr e) {
      if (e instanceof Call c && Annotations.isEnd(c)) {
        end(c);
      } else if (e instanceof Call c && Annotations.isBegin(c)) {
        memo.put(c, begin(c));
      } else {
        memo.put(e, rebuild(e));
      }
    }

    private Expr rebuild(Expr e) {
      if (e instanceof Call c) {
        List<Expr> args = new ArrayList<>(c.args().size());
        boolean changed = false;
        for (Expr a : c.args()) {
          Expr r = post(a);
          changed |= r != a;
          args.add(r);
        }
        Expr op = c.op() instanceof GlobalVar || c.op() instanceof Function ? post(c.op()) : c.op();
        changed |= op != c.op();
        return changed ? new Call(op, args, c.attrs(), c.span()) : c;
      }
      if (e instanceof Tuple t) {
        List<Expr> fs = new ArrayList<>(t.fields().size());
        boolean changed = false;
        for (Expr a : t.fields()) {
          Expr r = post(a);
          changed |= r != a;
          fs.add(r);
        }
        return changed ? new Tuple(fs, t.span()) : t;
      }
      if (e instanceof TupleGetItem g) {
        Expr t = post(g.tuple());
        return t == g.tuple() ? g : new TupleGetItem(t, g.index(), g.span());
      }
      return e;
    }

    private RegionFunc meta(Region r) {
      RegionFunc rf = funcs[r.id()];
      if (rf == null) {
        rf = new RegionFunc();
        funcs[r.id()] = rf;
      }
      return rf;
    }

    private Expr begin(Call b) {
      Expr parent = b.arg(0);
      while (Annotations.isAnnotation(parent)) {
        parent = Annotations.arg(parent);
      }
      Expr input = post(b.arg(0));
      Region r = regions.regionOf(b);
      RegionFunc rf = meta(r);
      Expr known = rf.inputFor.get(parent);
      if (known != null) {
        return known;
      }
      if (isConstant(input)) {
        rf.inputFor.put(parent, input);
        return input;
      }
      if (rf.inputIndex == null) {
        List<Call> ins = r.inputs();
        rf.inputIndex = new ExprMap<>(ins.size());
        for (int i = 0; i < ins.size(); i++) {
          rf.inputIndex.put(ins.get(i), i);
        }
      }
      Integer k = rf.inputIndex.get(b);
      if (k == null) {
        throw new IllegalStateException("compiler_begin " + b.describe() + " is not an input of " + r);
      }
      Var v = new Var(r.target() + "_" + r.id() + "_i" + k, b.checkedType());
      rf.params.add(v);
      rf.callArgs.add(input);
      rf.inputFor.put(parent, v);
      return v;
    }

    private static boolean isConstant(Expr e) {
      if (e instanceof Constant) {
        return true;
      }
      if (!(e instanceof Tuple t)) {
        return false;
      }
      for (Expr f : t.fields()) {
        if (!(f instanceof Constant)) {
          return false;
        }
      }
      return true;
    }

    private void end(Call end) {
      Region r = regions.regionOf(end);
      if (r == null) {
        throw new KbyocException("compiler_end at " + end.describe() + " is in no region");
      }
      RegionFunc rf = meta(r);
      if (rf.built) {
        memo.put(end, output(rf, end));
        return;
      }
      List<Expr> rets = new ArrayList<>();
      ExprSet seen = new ExprSet();
      for (Call o : r.outputs()) {
        if (seen.add(o.arg(0))) {
          rets.add(o.arg(0));
        }
      }
      List<Object> tasks = new ArrayList<>(rets);
      tasks.add((Runnable) () -> {
        build(r, rf, rets);
        memo.put(end, output(rf, end));
      });
      walk.then(tasks);
    }

    private Expr output(RegionFunc rf, Call end) {
      Expr o = rf.outputFor.get(end.arg(0));
      if (o == null) {
        throw new IllegalStateException("no output of the region function for " + end.describe());
      }
      return o;
    }

    private void build(Region r, RegionFunc rf, List<Expr> rets) {
      List<Expr> fields = new ArrayList<>(rets.size());
      for (Expr x : rets) {
        fields.add(post(x));
      }
      String name = r.target() + "_" + r.id();
      if (lifted.containsKey(name) || module.has(name)) {
        throw new KbyocException("global function @" + name + " already exists; is the module partitioned already?");
      }
      Expr body = fields.size() == 1 ? fields.get(0) : new Tuple(fields);
      Attrs attrs = Attrs.of(Function.ATTR_GLOBAL_SYMBOL, name, Function.ATTR_PRIMITIVE, 1L,
          Function.ATTR_COMPILER, r.target(), Function.ATTR_INLINE, 1L);
      lifted.put(name, new Function(rf.params, body, null, attrs, null));
      Call call = new Call(new GlobalVar(name), rf.callArgs, Attrs.empty());
      if (rets.size() == 1) {
        rf.outputFor.put(rets.get(0), call);
      } else {
        for (int i = 0; i < rets.size(); i++) {
          rf.outputFor.put(rets.get(i), new TupleGetItem(call, Faults.partitionOutputIndex(rets, i)));
        }
      }
      rf.built = true;
    }
  }
}
