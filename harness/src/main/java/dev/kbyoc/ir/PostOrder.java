package dev.kbyoc.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Iterative, memoised post-order traversal: every node reachable from the roots exactly once,
 * children before parents, in the order a recursive visitor would first finish them. Uses an
 * explicit stack, so a 100k-node chain does not overflow the Java stack.
 */
public final class PostOrder {
  private PostOrder() {}

  /** The direct children of a node, in evaluation order (function params before the body). */
  public static List<Expr> children(Expr e) {
    if (e instanceof Call c) {
      if (c.op() instanceof Function || c.op() instanceof GlobalVar) {
        List<Expr> l = new ArrayList<>(c.args().size() + 1);
        l.add(c.op());
        l.addAll(c.args());
        return l;
      }
      return c.args();
    }
    if (e instanceof Tuple t) {
      return t.fields();
    }
    if (e instanceof TupleGetItem g) {
      return List.of(g.tuple());
    }
    if (e instanceof Function f) {
      List<Expr> l = new ArrayList<>(f.params().size() + 1);
      l.addAll(f.params());
      l.add(f.body());
      return l;
    }
    return Collections.emptyList();
  }

  private static List<Expr> kids(Expr e, boolean stopAtFunctions) {
    return stopAtFunctions && e instanceof Function ? Collections.emptyList() : children(e);
  }

  /** Post-order of everything reachable from {@code root}. */
  public static List<Expr> of(Expr root) {
    return of(List.of(root));
  }

  /**
   * Post-order of the dataflow of one function body: like {@link #of(Expr)} but a nested
   * {@link Function} is a leaf (its params and body belong to its own scope, evaluated per call).
   */
  public static List<Expr> dataflow(Expr root) {
    return walk(List.of(root), true);
  }

  /** Post-order of everything reachable from the roots, each node once. */
  public static List<Expr> of(List<? extends Expr> roots) {
    return walk(roots, false);
  }

  private static List<Expr> walk(List<? extends Expr> roots, boolean stopAtFunctions) {
    List<Expr> out = new ArrayList<>();
    Set<Expr> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Object[]> stack = new ArrayDeque<>();
    for (Expr root : roots) {
      if (!seen.add(root)) {
        continue;
      }
      stack.push(new Object[] {root, kids(root, stopAtFunctions), 0});
      while (!stack.isEmpty()) {
        Object[] frame = stack.peek();
        @SuppressWarnings("unchecked")
        List<Expr> kids = (List<Expr>) frame[1];
        int i = (Integer) frame[2];
        if (i < kids.size()) {
          frame[2] = i + 1;
          Expr k = kids.get(i);
          if (seen.add(k)) {
            stack.push(new Object[] {k, kids(k, stopAtFunctions), 0});
          }
        } else {
          stack.pop();
          out.add((Expr) frame[0]);
        }
      }
    }
    return out;
  }
}
