package dev.kbyoc.pass;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.ExprSet;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Post-order over data edges only: call arguments, tuple fields and the projected tuple, never
 * the callee (so a call of a fused or external function is one node, as TVM's graph codegen and
 * memory planner see it). Children come in argument order, each node once, iteratively.
 */
public final class DataflowOrder {
  private DataflowOrder() {}

  /** The data inputs of a node. */
  public static List<Expr> inputs(Expr e) {
    if (e instanceof Call c) {
      return c.args();
    }
    if (e instanceof Tuple t) {
      return t.fields();
    }
    if (e instanceof TupleGetItem g) {
      return List.of(g.tuple());
    }
    return List.of();
  }

  /** Every node reachable from {@code root} through data edges, inputs before users. */
  public static List<Expr> of(Expr root) {
    List<Expr> out = new ArrayList<>();
    ExprSet seen = new ExprSet();
    ArrayDeque<Object[]> stack = new ArrayDeque<>();
    seen.add(root);
    stack.push(new Object[] {root, 0});
    while (!stack.isEmpty()) {
      Object[] f = stack.peek();
      Expr e = (Expr) f[0];
      List<Expr> kids = inputs(e);
      int i = (Integer) f[1];
      if (i < kids.size()) {
        f[1] = i + 1;
        Expr k = kids.get(i);
        if (seen.add(k)) {
          stack.push(new Object[] {k, 0});
        }
      } else {
        stack.pop();
        out.add(e);
      }
    }
    return out;
  }
}
