package dev.kbyoc.verify;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Span;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the regions of an annotated, merged function without the pass's own data structures:
 * nodes joined by an edge that crosses no {@code compiler_begin}/{@code compiler_end} are in one
 * region (merging removed the internal annotation pairs), and the region's target is the
 * {@code compiler} attribute of the annotations at its border. Gives each op of a non-default
 * region the region's name, ready for {@link RegionCycles}.
 */
final class MergedRegions {
  private MergedRegions() {}

  /** Span of each op in a non-default region to a region name ({@code <target>#<k>}). */
  static Map<Span, String> regionOf(Function f) {
    Map<Expr, Expr> parent = new IdentityHashMap<>();
    Map<Expr, String> target = new IdentityHashMap<>();
    List<Expr> order = PostOrder.of(f.body());
    for (Expr e : order) {
      if (isAnnotation(e) || e instanceof Function) {
        continue;
      }
      parent.putIfAbsent(e, e);
      for (Expr k : PostOrder.children(e)) {
        if (isAnnotation(k)) {
          target.putIfAbsent(e, ((Call) k).attrs().getString("compiler", null));
        } else if (parent.containsKey(k) && !(k instanceof dev.kbyoc.ir.Var) && !(k instanceof dev.kbyoc.ir.Constant)) {
          union(parent, e, k);
        }
      }
    }
    for (Expr e : order) {
      if (isAnnotation(e)) {
        Expr inner = ((Call) e).arg(0);
        if (parent.containsKey(inner)) {
          target.putIfAbsent(inner, ((Call) e).attrs().getString("compiler", null));
        }
      }
    }
    Map<Expr, String> rootTarget = new IdentityHashMap<>();
    for (Map.Entry<Expr, String> t : target.entrySet()) {
      if (t.getValue() != null) {
        rootTarget.putIfAbsent(find(parent, t.getKey()), t.getValue());
      }
    }
    Map<Expr, String> names = new IdentityHashMap<>();
    Map<Span, String> out = new HashMap<>();
    for (Expr e : order) {
      if (e instanceof Call c && c.op() instanceof Op && !isAnnotation(e)) {
        Expr root = find(parent, e);
        String t = rootTarget.get(root);
        if (t != null && !t.equals("default")) {
          String name = names.computeIfAbsent(root, r -> t + "#" + names.size());
          out.put(c.span(), name);
        }
      }
    }
    return out;
  }

  static boolean isAnnotation(Expr e) {
    return e instanceof Call c && (c.isOp(OpInventory.BEGIN) || c.isOp(OpInventory.END));
  }

  private static Expr find(Map<Expr, Expr> parent, Expr e) {
    Expr r = e;
    while (parent.get(r) != r) {
      r = parent.get(r);
    }
    Expr x = e;
    while (parent.get(x) != r) {
      Expr next = parent.get(x);
      parent.put(x, r);
      x = next;
    }
    return r;
  }

  private static void union(Map<Expr, Expr> parent, Expr a, Expr b) {
    Expr ra = find(parent, a);
    Expr rb = find(parent, b);
    if (ra != rb) {
      parent.put(ra, rb);
    }
  }
}
