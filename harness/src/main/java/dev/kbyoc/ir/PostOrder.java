package dev.kbyoc.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * Iterative, memoised post-order traversal: every node reachable from the roots exactly once,
 * children before parents, in the order a recursive visitor would first finish them. Uses an
 * explicit stack (parallel arrays, no frame objects), so a 100k-node chain does not overflow the
 * Java stack, and an {@link ExprSet} for the nodes seen.
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

  private static List<Expr> kids(Expr e, Predicate<Expr> leaf) {
    return leaf.test(e) ? Collections.emptyList() : children(e);
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
    return walk(List.of(root), e -> e instanceof Function);
  }

  /**
   * Post-order of what is reachable from {@code root} without entering the nodes {@code leaf}
   * accepts (they are listed, their children are not reached through them).
   */
  public static List<Expr> of(Expr root, Predicate<Expr> leaf) {
    return walk(List.of(root), leaf);
  }

  /** Post-order of everything reachable from the roots, each node once. */
  public static List<Expr> of(List<? extends Expr> roots) {
    return walk(roots, e -> false);
  }

  private static List<Expr> walk(List<? extends Expr> roots, Predicate<Expr> leaf) {
    List<Expr> out = new ArrayList<>();
    ExprSet seen = new ExprSet();
    Expr[] nodes = new Expr[16];
    Object[] kidLists = new Object[16];
    int[] next = new int[16];
    for (Expr root : roots) {
      if (!seen.add(root)) {
        continue;
      }
      int top = 0;
      nodes[0] = root;
      kidLists[0] = kids(root, leaf);
      next[0] = 0;
      while (top >= 0) {
        @SuppressWarnings("unchecked")
        List<Expr> kids = (List<Expr>) kidLists[top];
        int i = next[top];
        if (i < kids.size()) {
          next[top] = i + 1;
          Expr k = kids.get(i);
          if (seen.add(k)) {
            if (++top == nodes.length) {
              nodes = Arrays.copyOf(nodes, top * 2);
              kidLists = Arrays.copyOf(kidLists, top * 2);
              next = Arrays.copyOf(next, top * 2);
            }
            nodes[top] = k;
            kidLists[top] = kids(k, leaf);
            next[top] = 0;
          }
        } else {
          out.add(nodes[top]);
          nodes[top] = null;
          kidLists[top] = null;
          top--;
        }
      }
    }
    return out;
  }
}
