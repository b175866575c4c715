package dev.kbyoc.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * A post-order rewriter in the style of TVM's {@code PostOrderRewrite}: each node is rebuilt from
 * its already-rewritten children (the same instance when no child changed), then handed to the
 * matching {@code rewrite*} hook with the original node. Memoised by identity, so a DAG stays a
 * DAG; iterative, so deep chains are safe. One instance rewrites one graph; create a fresh one
 * per run.
 */
public abstract class ExprMutator {
  private ExprMap<Expr> memo = new ExprMap<>();

  /** Rewrites everything reachable from {@code root} and returns the new root. */
  public Expr mutate(Expr root) {
    List<Expr> order = PostOrder.of(root);
    if (memo.size() == 0) {
      memo = new ExprMap<>(order.size());
    }
    for (Expr e : order) {
      if (!memo.containsKey(e)) {
        memo.put(e, rewriteNode(e));
      }
    }
    return memo.get(root);
  }

  /** The rewritten form of a node already visited (children are always visited first). */
  protected final Expr rewritten(Expr original) {
    Expr r = memo.get(original);
    if (r == null) {
      throw new IllegalStateException("node not yet rewritten: " + original);
    }
    return r;
  }

  /**
   * The rewritten children: {@code originals} itself when none changed, else an immutable list
   * (which the node constructors keep without copying again).
   */
  private List<Expr> rewrittenAll(List<Expr> originals) {
    Expr[] out = null;
    for (int i = 0; i < originals.size(); i++) {
      Expr o = originals.get(i);
      Expr r = rewritten(o);
      if (r != o && out == null) {
        out = originals.toArray(new Expr[0]);
      }
      if (out != null) {
        out[i] = r;
      }
    }
    return out == null ? originals : List.of(out);
  }

  private Expr rewriteNode(Expr e) {
    if (e instanceof Call c) {
      Expr op = c.op() instanceof Op ? c.op() : rewritten(c.op());
      List<Expr> args = rewrittenAll(c.args());
      Call updated = op != c.op() || args != c.args() ? new Call(op, args, c.attrs(), c.span()) : c;
      return rewriteCall(c, updated);
    }
    if (e instanceof Tuple t) {
      List<Expr> fields = rewrittenAll(t.fields());
      return rewriteTuple(t, fields != t.fields() ? new Tuple(fields, t.span()) : t);
    }
    if (e instanceof TupleGetItem g) {
      Expr tuple = rewritten(g.tuple());
      return rewriteTupleGetItem(g, tuple != g.tuple() ? new TupleGetItem(tuple, g.index(), g.span()) : g);
    }
    if (e instanceof Function f) {
      boolean changed = false;
      List<Var> params = new ArrayList<>(f.params().size());
      for (Var p : f.params()) {
        Expr r = rewritten(p);
        if (r instanceof Var rv) {
          changed |= rv != p;
          params.add(rv);
        } else {
          params.add(p);
        }
      }
      Expr body = rewritten(f.body());
      changed |= body != f.body();
      Function updated = changed ? new Function(params, body, f.retType(), f.attrs(), f.span()) : f;
      return rewriteFunction(f, updated);
    }
    if (e instanceof Var v) {
      return rewriteVar(v);
    }
    if (e instanceof Constant c) {
      return rewriteConstant(c);
    }
    if (e instanceof GlobalVar g) {
      return rewriteGlobalVar(g);
    }
    return e;
  }

  /** {@code updated} has rewritten children (or is {@code original} when none changed). */
  protected Expr rewriteCall(Call original, Call updated) {
    return updated;
  }

  protected Expr rewriteTuple(Tuple original, Tuple updated) {
    return updated;
  }

  protected Expr rewriteTupleGetItem(TupleGetItem original, TupleGetItem updated) {
    return updated;
  }

  protected Expr rewriteFunction(Function original, Function updated) {
    return updated;
  }

  protected Expr rewriteVar(Var var) {
    return var;
  }

  protected Expr rewriteConstant(Constant constant) {
    return constant;
  }

  protected Expr rewriteGlobalVar(GlobalVar global) {
    return global;
  }
}
