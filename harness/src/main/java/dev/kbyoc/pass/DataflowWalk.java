package dev.kbyoc.pass;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.ExprSet;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * TVM's {@code MixedModeVisitor} traversal ({@code ExpandDataflow}) without recursion: visits each
 * node once, arguments left to right before the node (the order a recursive visitor finishes
 * them). A leaf handler may ask for nested visits and continuations with {@link #then}; they run
 * before anything the walk had pending, exactly as TVM's recursive {@code VisitExpr} calls from a
 * {@code VisitExpr_} would. Function literals are leaves (not entered).
 */
final class DataflowWalk {
  private static final class Frame {
    final Expr expr;
    boolean expanded;

    Frame(Expr expr) {
      this.expr = expr;
    }
  }

  private final ExprSet visited = new ExprSet();
  private final ArrayDeque<Object> stack = new ArrayDeque<>();
  private final Consumer<Expr> leaf;

  DataflowWalk(Consumer<Expr> leaf) {
    this.leaf = leaf;
  }

  boolean visited(Expr e) {
    return visited.contains(e);
  }

  /** Visits everything reachable from {@code root} not yet visited, then returns. */
  void visit(Expr root) {
    int base = stack.size();
    pushVisit(root);
    while (stack.size() > base) {
      step();
    }
  }

  /**
   * Schedules, in order, nested visits ({@link Expr} items) and continuations ({@link Runnable}
   * items) to run before whatever was pending; call from the leaf handler.
   */
  void then(List<?> tasks) {
    for (int i = tasks.size() - 1; i >= 0; i--) {
      Object t = tasks.get(i);
      if (t instanceof Expr e) {
        pushVisit(e);
      } else {
        stack.push((Runnable) t);
      }
    }
  }

  private void pushVisit(Expr e) {
    if (!visited.contains(e) && !(e instanceof Op)) {
      stack.push(new Frame(e));
    }
  }

  private void step() {
    Object top = stack.peek();
    if (top instanceof Runnable r) {
      stack.pop();
      r.run();
      return;
    }
    Frame f = (Frame) top;
    Expr e = f.expr;
    if (visited.contains(e)) {
      stack.pop();
      return;
    }
    if (f.expanded || !(e instanceof Call || e instanceof Tuple || e instanceof TupleGetItem)) {
      stack.pop();
      visited.add(e);
      leaf.accept(e);
      return;
    }
    f.expanded = true;
    if (e instanceof Call c) {
      for (int i = c.args().size() - 1; i >= 0; i--) {
        pushVisit(c.arg(i));
      }
      if (c.op() instanceof Function || c.op() instanceof GlobalVar) {
        pushVisit(c.op());
      }
    } else if (e instanceof Tuple t) {
      for (int i = t.fields().size() - 1; i >= 0; i--) {
        pushVisit(t.fields().get(i));
      }
    } else {
      pushVisit(((TupleGetItem) e).tuple());
    }
  }
}
