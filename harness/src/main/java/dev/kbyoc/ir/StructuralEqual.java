package dev.kbyoc.ir;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Structural equality up to alpha-renaming, as TVM's {@code StructuralEqual} with free variables
 * mapped on first use: same node kinds, ops, attributes, constant bytes, tuple indices and type
 * annotations; variables correspond one-to-one. Spans, names and inferred types are ignored.
 * Iterative (explicit worklist) and memoised on node pairs.
 */
public final class StructuralEqual {
  private final Map<Var, Var> lhsToRhs = new IdentityHashMap<>();
  private final Map<Var, Var> rhsToLhs = new IdentityHashMap<>();
  private final Set<Pair> done = new HashSet<>();
  private final ArrayDeque<Pair> work = new ArrayDeque<>();
  private String mismatch;

  private record Pair(Expr a, Expr b) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Pair p && p.a == a && p.b == b;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(a) * 31 + System.identityHashCode(b);
    }
  }

  private StructuralEqual() {}

  /** Whether two expressions are structurally equal. */
  public static boolean equal(Expr a, Expr b) {
    return new StructuralEqual().run(a, b);
  }

  /** Whether two modules hold the same function names with structurally equal functions. */
  public static boolean equal(IRModule a, IRModule b) {
    return firstDifference(a, b) == null;
  }

  /** A description of the first difference between two modules, or null when equal. */
  public static String firstDifference(IRModule a, IRModule b) {
    if (!a.functions().keySet().equals(b.functions().keySet())) {
      return "functions differ: " + a.functions().keySet() + " vs " + b.functions().keySet();
    }
    for (String name : a.functions().keySet()) {
      StructuralEqual eq = new StructuralEqual();
      if (!eq.run(a.get(name), b.get(name))) {
        return "@" + name + ": " + eq.mismatch;
      }
    }
    return null;
  }

  /** A description of the first difference between two expressions, or null when equal. */
  public static String firstDifference(Expr a, Expr b) {
    StructuralEqual eq = new StructuralEqual();
    return eq.run(a, b) ? null : eq.mismatch;
  }

  private boolean run(Expr a, Expr b) {
    work.push(new Pair(a, b));
    while (!work.isEmpty()) {
      Pair p = work.pop();
      if (!done.add(p)) {
        continue;
      }
      if (!compareNode(p.a, p.b)) {
        if (mismatch == null) {
          mismatch = p.a.describe() + " vs " + p.b.describe();
        }
        return false;
      }
    }
    return true;
  }

  private boolean fail(String why) {
    mismatch = why;
    return false;
  }

  private void pushAll(List<? extends Expr> as, List<? extends Expr> bs) {
    for (int i = as.size() - 1; i >= 0; i--) {
      work.push(new Pair(as.get(i), bs.get(i)));
    }
  }

  private boolean compareNode(Expr a, Expr b) {
    if (a.getClass() != b.getClass()) {
      return fail(a.describe() + " is a " + a.getClass().getSimpleName() + ", " + b.describe() + " is a "
          + b.getClass().getSimpleName());
    }
    if (a instanceof Var va) {
      return mapVar(va, (Var) b);
    }
    if (a instanceof Constant ca) {
      return ca.data().equals(((Constant) b).data()) || fail("constants differ: " + ca.data() + " vs " + ((Constant) b).data());
    }
    if (a instanceof GlobalVar ga) {
      return ga.name().equals(((GlobalVar) b).name()) || fail("global " + ga + " vs " + b);
    }
    if (a instanceof Op) {
      return a == b || fail("op " + a + " vs " + b);
    }
    if (a instanceof Call ca) {
      Call cb = (Call) b;
      if (ca.args().size() != cb.args().size()) {
        return fail(ca.describe() + " has " + ca.args().size() + " args, " + cb.describe() + " has " + cb.args().size());
      }
      if (!ca.attrs().equals(cb.attrs())) {
        return fail(ca.describe() + " attrs " + ca.attrs() + " vs " + cb.attrs());
      }
      if (ca.op() instanceof Op || cb.op() instanceof Op) {
        if (ca.op() != cb.op()) {
          return fail("op " + ca.op() + " vs " + cb.op());
        }
      } else {
        work.push(new Pair(ca.op(), cb.op()));
      }
      pushAll(ca.args(), cb.args());
      return true;
    }
    if (a instanceof Tuple ta) {
      Tuple tb = (Tuple) b;
      if (ta.fields().size() != tb.fields().size()) {
        return fail("tuple sizes " + ta.fields().size() + " vs " + tb.fields().size());
      }
      pushAll(ta.fields(), tb.fields());
      return true;
    }
    if (a instanceof TupleGetItem ga) {
      TupleGetItem gb = (TupleGetItem) b;
      if (ga.index() != gb.index()) {
        return fail("tuple index " + ga.index() + " vs " + gb.index());
      }
      work.push(new Pair(ga.tuple(), gb.tuple()));
      return true;
    }
    Function fa = (Function) a;
    Function fb = (Function) b;
    if (fa.params().size() != fb.params().size()) {
      return fail(fa.describe() + " has " + fa.params().size() + " params, " + fb.describe() + " has " + fb.params().size());
    }
    if (!fa.attrs().equals(fb.attrs())) {
      return fail(fa.describe() + " attrs " + fa.attrs() + " vs " + fb.attrs());
    }
    if (fa.retType() != null && fb.retType() != null && !fa.retType().equals(fb.retType())) {
      return fail(fa.describe() + " return type " + fa.retType() + " vs " + fb.retType());
    }
    for (int i = 0; i < fa.params().size(); i++) {
      if (!mapVar(fa.params().get(i), fb.params().get(i))) {
        return false;
      }
    }
    work.push(new Pair(fa.body(), fb.body()));
    return true;
  }

  private boolean mapVar(Var a, Var b) {
    Var mappedB = lhsToRhs.get(a);
    Var mappedA = rhsToLhs.get(b);
    if (mappedB == null && mappedA == null) {
      if (!Objects.equals(a.typeAnnotation(), b.typeAnnotation())) {
        return fail("type of " + a + " " + a.typeAnnotation() + " vs " + b + " " + b.typeAnnotation());
      }
      lhsToRhs.put(a, b);
      rhsToLhs.put(b, a);
      return true;
    }
    return (mappedB == b && mappedA == a) || fail("variable " + a + " does not correspond to " + b);
  }
}
