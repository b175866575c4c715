package dev.kbyoc.ir;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A hash consistent with {@link StructuralEqual}: equal expressions hash equally. Variables hash
 * by their type annotation only (alpha-renaming does not change the hash). Iterative.
 */
public final class StructuralHash {
  private StructuralHash() {}

  public static int hash(Expr root) {
    Map<Expr, Integer> h = new IdentityHashMap<>();
    for (Expr e : PostOrder.of(root)) {
      h.put(e, local(e) * 1_000_003 + childHash(PostOrder.children(e), h));
    }
    return h.get(root);
  }

  public static int hash(IRModule m) {
    int r = 17;
    for (Map.Entry<String, Function> e : m.functions().entrySet()) {
      r = r * 31 + e.getKey().hashCode() * 7 + hash(e.getValue());
    }
    return r;
  }

  private static int childHash(List<Expr> kids, Map<Expr, Integer> h) {
    int r = 1;
    for (Expr k : kids) {
      r = r * 31 + h.get(k);
    }
    return r;
  }

  private static int local(Expr e) {
    if (e instanceof Var v) {
      return 1 + Objects.hashCode(v.typeAnnotation());
    }
    if (e instanceof Constant c) {
      return 2 + c.data().hashCode();
    }
    if (e instanceof GlobalVar g) {
      return 3 + g.name().hashCode();
    }
    if (e instanceof Op o) {
      return 4 + o.name().hashCode();
    }
    if (e instanceof Call c) {
      return 5 + c.attrs().hashCode() + (c.op() instanceof Op o ? o.name().hashCode() : 0);
    }
    if (e instanceof Tuple t) {
      return 6 + t.fields().size();
    }
    if (e instanceof TupleGetItem g) {
      return 7 + g.index();
    }
    Function f = (Function) e;
    return 8 + f.attrs().hashCode() + Arrays.hashCode(new Object[] {f.params().size()});
  }
}
