package dev.kbyoc.verify;

import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Shrink steps on leaf data (inputs, weights, constants): simplify values and halve dimensions. */
final class LeafValues {
  private LeafValues() {}

  /** Distinct element values over all leaves (capped at 65536). */
  static int distinct(GraphCase c) {
    Set<Double> s = new HashSet<>();
    for (NDArray a : c.allArgs().values()) {
      add(s, a);
    }
    for (Expr e : PostOrder.of(c.main())) {
      if (e instanceof Constant k) {
        add(s, k.data());
      }
    }
    return s.size();
  }

  private static void add(Set<Double> s, NDArray a) {
    for (int i = 0; i < a.size() && s.size() < 65536; i++) {
      s.add(a.getDouble(i));
    }
  }

  /** A deterministic, bounded, non-constant fill: values k/8 - 0.5 cycling through [-0.5, 0.375]. */
  static NDArray pattern(TensorType t) {
    NDArray a = NDArray.zeros(t.dtype(), t.shape());
    for (int i = 0; i < a.size(); i++) {
      a.setDouble(i, t.dtype() == DType.FLOAT32 ? (i * 5 % 8) / 8.0 - 0.5 : i * 5 % 8);
    }
    return a;
  }

  /** Every weight and constant set to {@code v} (inputs kept); null when nothing changes. */
  static GraphCase simplify(GraphCase c, double v) {
    return mapLeaves(c, false, a -> {
      NDArray b = NDArray.zeros(a.dtype(), a.shape());
      for (int i = 0; i < b.size(); i++) {
        b.setDouble(i, v);
      }
      return b;
    });
  }

  /** Every leaf (inputs too) rounded to a multiple of 1/4; null when nothing changes. */
  static GraphCase quantize(GraphCase c) {
    return mapLeaves(c, true, a -> {
      NDArray b = a.copy();
      for (int i = 0; i < b.size(); i++) {
        b.setDouble(i, Math.round(a.getDouble(i) * 4) / 4.0);
      }
      return b;
    });
  }

  /** Every leaf dimension equal to {@code d} becomes {@code d / 2}; elements keep their coordinates. */
  static GraphCase shrinkDim(GraphCase c, int d) {
    return mapLeaves(c, true, a -> {
      int[] s = a.shape();
      boolean hit = false;
      for (int i = 0; i < s.length; i++) {
        if (s[i] == d) {
          s[i] = Math.max(1, d / 2);
          hit = true;
        }
      }
      return hit ? crop(a, s) : a;
    });
  }

  /** The leading corner of {@code a} with the smaller shape {@code s}. */
  static NDArray crop(NDArray a, int[] s) {
    NDArray b = NDArray.zeros(a.dtype(), s);
    int[] src = a.shape();
    int[] idx = new int[s.length];
    for (int i = 0; i < b.size(); i++) {
      int flat = 0;
      for (int k = 0; k < s.length; k++) {
        flat = flat * src[k] + idx[k];
      }
      b.setDouble(i, a.getDouble(flat));
      for (int k = s.length - 1; k >= 0 && ++idx[k] == s[k]; k--) {
        idx[k] = 0;
      }
    }
    return b;
  }

  /** Applies {@code f} to leaf data (weights and constants; inputs too when asked); null if unchanged. */
  private static GraphCase mapLeaves(GraphCase c, boolean inputsToo, java.util.function.UnaryOperator<NDArray> f) {
    Map<Expr, Expr> subst = new IdentityHashMap<>();
    Map<String, NDArray> values = new LinkedHashMap<>();
    for (Expr e : PostOrder.of(c.main())) {
      if (e instanceof Constant k) {
        NDArray n = f.apply(k.data());
        if (!n.equals(k.data())) {
          subst.put(k, new Constant(n, k.span()));
        }
      } else if (e instanceof Var v) {
        NDArray old = c.params().containsKey(v.name()) ? c.params().get(v.name())
            : inputsToo ? c.inputs().get(v.name()) : null;
        if (old == null) {
          continue;
        }
        NDArray n = f.apply(old);
        if (!n.equals(old)) {
          subst.put(v, new Var(v.name(), n.type(), v.span()));
          values.put(v.name(), n);
        }
      }
    }
    if (subst.isEmpty()) {
      return null;
    }
    return GraphRebuild.rebuild(c, c.main().body(), subst, values);
  }

}
