package dev.kbyoc.pass;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Faults;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import dev.kbyoc.op.OpDef;
import dev.kbyoc.op.OpPattern;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups the host ops of every non-external function into {@code Primitive} functions, as TVM's
 * {@code FuseOps} does, so that each group becomes one host kernel call in the graph.
 *
 * <p><b>Input:</b> a typed module; functions with a {@code Compiler} attribute (partitioned
 * regions) and primitive functions are left alone. <b>Output:</b> each op call of a host function
 * sits in exactly one {@code fn(%p0, ...) Primitive=1} called from the host function; non-scalar
 * constants are passed as arguments (they become graph params {@code p0, p1, ...}), scalar
 * constants stay inside, as TVM keeps them.
 * <b>Algorithm:</b> 1. count the uses of every node; 2. in post-order, merge the group of an
 * argument {@code p} into the group of its consumer {@code c} when {@code p} has no other use and
 * TVM's pattern rules allow it: an elemwise/broadcast consumer takes an injective-or-lower group or
 * an out-elemwise-fusable (conv2d, dense) anchor group; an injective or comm-reduce consumer takes
 * an injective-or-lower group; a group holds at most one anchor and {@link #MAX_FUSE_DEPTH} ops;
 * 3. lift each group into a primitive function (params {@code p0, p1, ...} in first-use order).
 * Merging only along single-use edges keeps every group single-output and the graph acyclic; it
 * fuses less than TVM's post-dominator analysis on diamonds, never more.
 * <b>Runs after:</b> PartitionGraph; <b>before:</b> graph lowering.
 */
public final class FuseOps {
  public static final String NAME = "FuseOps";
  /** TVM's default {@code relay.FuseOps.max_depth}. */
  public static final int MAX_FUSE_DEPTH = 256;

  private FuseOps() {}

  public static Pass create() {
    return Pass.module(NAME, FuseOps::run);
  }

  /** Fuses every host function of a module and re-infers types. */
  public static IRModule run(IRModule module) {
    InferType.run(module);
    IRModule out = module;
    for (Map.Entry<String, Function> e : module.functions().entrySet()) {
      Function f = e.getValue();
      if (f.compiler() == null && !f.isPrimitive()) {
        out = out.with(e.getKey(), new Fuser(f).run());
      }
    }
    return InferType.run(out);
  }

  /** The fusion pattern of an op call; calls of functions are opaque. */
  static OpPattern pattern(Expr e) {
    return e instanceof Call c && c.op() instanceof Op op ? OpDef.of(op).pattern() : OpPattern.OPAQUE;
  }

  private static boolean isAnchor(OpPattern p) {
    return p == OpPattern.OUT_ELEMWISE_FUSABLE || p == OpPattern.COMM_REDUCE;
  }

  /** One fusion run over one function. */
  private static final class Fuser {
    private final Function function;
    private final Map<Expr, Integer> uses = new IdentityHashMap<>();
    private final Map<Expr, Group> groupOf = new IdentityHashMap<>();

    Fuser(Function function) {
      this.function = function;
    }

    /** A set of op calls fused together; {@code root} is the last merged consumer. */
    private static final class Group {
      final List<Call> members = new ArrayList<>();
      OpPattern pattern;
      boolean anchored;
    }

    Function run() {
      List<Expr> order = DataflowOrder.of(function.body());
      for (Expr e : order) {
        for (Expr in : DataflowOrder.inputs(e)) {
          uses.merge(in, 1, Integer::sum);
        }
      }
      uses.merge(function.body(), 1, Integer::sum);
      for (Expr e : order) {
        if (e instanceof Call c && c.op() instanceof Op) {
          Group g = new Group();
          g.members.add(c);
          g.pattern = pattern(c);
          g.anchored = isAnchor(g.pattern);
          groupOf.put(c, g);
          for (Expr a : c.args()) {
            tryMerge(a, c);
          }
        }
      }
      Map<Expr, Expr> outer = new IdentityHashMap<>();
      for (Expr e : order) {
        Expr r = rewriteOuter(e, outer);
        if (r != null) {
          outer.put(e, r);
        }
      }
      Expr body = outer.get(function.body());
      return body == function.body() ? function
          : new Function(function.params(), body, function.retType(), function.attrs(), function.span());
    }

    private void tryMerge(Expr arg, Call consumer) {
      Group pg = groupOf.get(arg);
      Group cg = groupOf.get(consumer);
      if (pg == null || pg == cg || uses.getOrDefault(arg, 0) != 1) {
        return;
      }
      OpPattern c = pattern(consumer);
      OpPattern p = pg.pattern;
      boolean producerInjective = p.tvmValue() <= OpPattern.INJECTIVE.tvmValue();
      boolean allowed;
      if (c.tvmValue() <= OpPattern.BROADCAST.tvmValue()) {
        allowed = producerInjective || p == OpPattern.OUT_ELEMWISE_FUSABLE;
      } else if (c == OpPattern.INJECTIVE || c == OpPattern.COMM_REDUCE) {
        allowed = producerInjective;
      } else {
        allowed = false;
      }
      if (!allowed || (pg.anchored && cg.anchored) || pg.members.size() + cg.members.size() > MAX_FUSE_DEPTH) {
        return;
      }
      for (Call m : pg.members) {
        groupOf.put(m, cg);
      }
      cg.members.addAll(0, pg.members);
      cg.anchored |= pg.anchored;
      if (pg.anchored) {
        cg.pattern = pg.pattern;
      } else if (!cg.anchored && p.tvmValue() > cg.pattern.tvmValue()) {
        cg.pattern = p;
      }
    }

    /** The main-level form of a node; null for calls fused into a consumer's group. */
    private Expr rewriteOuter(Expr e, Map<Expr, Expr> outer) {
      if (e instanceof Call c && c.op() instanceof Op) {
        Group g = groupOf.get(c);
        if (g.members.get(g.members.size() - 1) != c) {
          return null;
        }
        return lift(c, g, outer);
      }
      List<Expr> ins = DataflowOrder.inputs(e);
      List<Expr> newIns = new ArrayList<>(ins.size());
      boolean changed = false;
      for (Expr in : ins) {
        Expr r = outer.get(in);
        changed |= r != in;
        newIns.add(r);
      }
      if (!changed) {
        return e;
      }
      if (e instanceof Call c) {
        return new Call(c.op(), newIns, c.attrs(), c.span());
      }
      if (e instanceof Tuple t) {
        return new Tuple(newIns, t.span());
      }
      TupleGetItem g = (TupleGetItem) e;
      return new TupleGetItem(newIns.get(0), g.index(), g.span());
    }

    /** Builds the primitive function of group {@code g} and the call of it replacing {@code root}. */
    private Expr lift(Call root, Group g, Map<Expr, Expr> outer) {
      Map<Expr, Expr> inner = new IdentityHashMap<>();
      List<Var> params = new ArrayList<>();
      List<Expr> args = new ArrayList<>();
      for (Call m : g.members) {
        List<Expr> newArgs = new ArrayList<>();
        for (Expr a : m.args()) {
          newArgs.add(innerArg(a, g, inner, params, args, outer));
        }
        inner.put(m, new Call(m.op(), Faults.fusedArgs(m.op(), newArgs), m.attrs(), m.span()));
      }
      Function fn = new Function(params, inner.get(root), null, Attrs.of(Function.ATTR_PRIMITIVE, 1L), root.span());
      return new Call(fn, args, Attrs.empty(), root.span());
    }

    private Expr innerArg(Expr a, Group g, Map<Expr, Expr> inner, List<Var> params, List<Expr> args, Map<Expr, Expr> outer) {
      Expr done = inner.get(a);
      if (done != null) {
        return done;
      }
      Expr r;
      if (a instanceof Constant c && c.data().rank() == 0) {
        r = c;
      } else if (a instanceof Tuple t && groupOf.get(a) == null) {
        List<Expr> fs = new ArrayList<>();
        for (Expr f : t.fields()) {
          fs.add(innerArg(f, g, inner, params, args, outer));
        }
        r = new Tuple(fs, t.span());
      } else {
        if (!(a.checkedType() instanceof TensorType tt)) {
          throw new KbyocException("cannot fuse " + a.describe() + ": argument of type " + a.checkedType() + " is not a tensor");
        }
        Var p = new Var("p" + params.size(), tt, a.span());
        params.add(p);
        args.add(outer.get(a));
        r = p;
      }
      inner.put(a, r);
      return r;
    }
  }
}
