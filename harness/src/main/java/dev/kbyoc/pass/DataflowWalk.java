package dev.kbyoc.pass;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.ExprSet;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import java.util.Arrays;
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
  private final ExprSet visited = new ExprSet();
  /** The pending work, top last: an {@link Expr} to visit or a {@link Runnable}. */
  private Object[] items = new Object[64];
  /** For an {@link Expr} item: its inputs are pushed already, so popping it means visiting it. */
  private boolean[] expanded = new boolean[64];
  private int size;
  private final Consumer<Expr> leaf;

  DataflowWalk(Consumer<Expr> leaf) {
    this.leaf = leaf;
  }

  boolean visited(Expr e) {
    return visited.contains(e);
  }

  /** Visits everything reachable from {@code root} not yet visited, then returns. */
  void visit(Expr root) {
    int base = size;
    pushVisit(root);
    while (size > base) {
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
        push((Runnable) t);
      }
    }
  }

  private void push(Object item) {
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
      expanded = Arrays.copyOf(expanded, size * 2);
    }
    items[size] = item;
    expanded[size] = false;
    size++;
  }

  private Object pop() {
    Object top = items[--size];
    items[size] = null;
    return top;
  }

  private void pushVisit(Expr e) {
    if (!visited.contains(e) && !(e instanceof Op)) {
      push(e);
    }
  }

  private void step() {
    Object top = items[size - 1];
    if (top instanceof Runnable r) {
      pop();
      r.run();
      return;
    }
    Expr e = (Expr) top;
    if (visited.contains(e)) {
      pop();
      return;
    }
    if (expanded[size - 1] || !(e instanceof Call || e instanceof Tuple || e instanceof TupleGetItem)) {
      pop();
      visited.add(e);
      leaf.accept(e);
      return;
    }
    expanded[size - 1] = true;
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
