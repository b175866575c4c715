package dev.kbyoc.ir;

/**
 * A read-only visitor that sees every node reachable from a root exactly once, children first
 * (iterative; safe on deep chains and diamond lattices). Override the node kinds that matter.
 */
public abstract class ExprVisitor {

  /** Visits every node reachable from {@code root} once, in post-order. */
  public void visit(Expr root) {
    for (Expr e : PostOrder.of(root)) {
      dispatch(e);
    }
  }

  private void dispatch(Expr e) {
    if (e instanceof Call c) {
      visitCall(c);
    } else if (e instanceof Var v) {
      visitVar(v);
    } else if (e instanceof Constant c) {
      visitConstant(c);
    } else if (e instanceof Tuple t) {
      visitTuple(t);
    } else if (e instanceof TupleGetItem g) {
      visitTupleGetItem(g);
    } else if (e instanceof Function f) {
      visitFunction(f);
    } else if (e instanceof GlobalVar g) {
      visitGlobalVar(g);
    }
  }

  protected void visitCall(Call call) {}

  protected void visitVar(Var var) {}

  protected void visitConstant(Constant constant) {}

  protected void visitTuple(Tuple tuple) {}

  protected void visitTupleGetItem(TupleGetItem item) {}

  protected void visitFunction(Function function) {}

  protected void visitGlobalVar(GlobalVar global) {}
}
