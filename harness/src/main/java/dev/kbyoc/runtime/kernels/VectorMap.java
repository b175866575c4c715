package dev.kbyoc.runtime.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API forms of the {@link FloatOps} loops: whole vectors first, the remaining elements by
 * the same scalar expressions, so results equal the plain loops'. Only loaded when
 * {@link Simd#enabled()}.
 */
final class VectorMap {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  /** The upper half of the float lanes, where a narrowed second double vector lands. */
  private static final VectorMask<Float> UPPER = S.indexInRange(-L / 2, L / 2);

  private VectorMap() {}

  /**
   * {@code y[yo+i] = act((float) ((x[xo+i] - m) * s + t))} in double for i in [0, n); see
   * {@link FloatOps#channelAffine}. Each float vector is widened as two double halves and
   * narrowed back into the lower and upper lanes, so only the preferred float shape is used
   * (a second FloatVector shape anywhere in the process pollutes the type profiles of the shared
   * FloatVector methods, and C2 then fails to intrinsify stores in the convolution kernels).
   */
  static void affine(float[] x, int xo, float[] y, int yo, int n, double m, double s, double t, Epilogue act) {
    DoubleVector vm = DoubleVector.broadcast(D, m);
    DoubleVector vs = DoubleVector.broadcast(D, s);
    DoubleVector vt = DoubleVector.broadcast(D, t);
    int i = 0;
    // vector loop without activation only: a vector merged from branches would be boxed (JDK 17)
    for (; act.act() == Epilogue.NONE && i + L <= n; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xo + i);
      DoubleVector lo = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
      DoubleVector hi = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
      FloatVector rlo = (FloatVector) lo.sub(vm).mul(vs).add(vt).convertShape(VectorOperators.D2F, S, 0);
      FloatVector rhi = (FloatVector) hi.sub(vm).mul(vs).add(vt).convertShape(VectorOperators.D2F, S, -1);
      rlo.blend(rhi, UPPER).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] = act.apply((float) ((x[xo + i] - m) * s + t));
    }
  }

  /** {@code y = act(x)} elementwise; one straight loop per activation (no vector value merged from branches). */
  static void activation(float[] x, float[] y, int n, Epilogue act) {
    int i = 0;
    if (act.act() == Epilogue.RELU) {
      FloatVector z = FloatVector.zero(S);
      for (; i + L <= n; i += L) {
        FloatVector v = FloatVector.fromArray(S, x, i);
        z.blend(v, v.compare(VectorOperators.GT, z)).intoArray(y, i);
      }
    } else {
      // min/max lanewise fall back to Java code on JDK 17; compare + blend with Math.max/min's
      // signed zeros: max(-0, +0) = +0, min(+0, -0) = -0
      FloatVector lo = FloatVector.broadcast(S, act.lo());
      FloatVector hi = FloatVector.broadcast(S, act.hi());
      VectorOperators.Comparison below = Epilogue.lowTest(act.lo()) ? VectorOperators.LE : VectorOperators.LT;
      VectorOperators.Comparison above = Epilogue.highTest(act.hi()) ? VectorOperators.GE : VectorOperators.GT;
      for (; i + L <= n; i += L) {
        FloatVector v = FloatVector.fromArray(S, x, i);
        v = v.blend(lo, v.compare(below, lo));
        v.blend(hi, v.compare(above, hi)).intoArray(y, i);
      }
    }
    for (; i < n; i++) {
      y[i] = act.apply(x[i]);
    }
  }

  /** {@code y = act(x + c)} elementwise (c a scalar); see {@link FloatOps#biasAdd}. */
  static void addScalar(float[] x, int xo, float[] y, int yo, int n, float c, Epilogue act) {
    FloatVector vc = FloatVector.broadcast(S, c);
    int i = 0;
    for (; act.act() == Epilogue.NONE && i + L <= n; i += L) {
      FloatVector.fromArray(S, x, xo + i).add(vc).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] = act.apply(x[xo + i] + c);
    }
  }

  /** {@code y = a op b} elementwise over n; op 0 add, 1 subtract, 2 multiply, 3 divide. */
  static void binary(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n, int op) {
    int i = 0;
    for (; i + L <= n; i += L) {
      FloatVector va = FloatVector.fromArray(S, a, ao + i);
      FloatVector vb = FloatVector.fromArray(S, b, bo + i);
      FloatVector r = switch (op) {
        case 0 -> va.add(vb);
        case 1 -> va.sub(vb);
        case 2 -> va.mul(vb);
        default -> va.div(vb);
      };
      r.intoArray(y, yo + i);
    }
    FloatOps.binaryScalar(a, ao + i, 1, b, bo + i, 1, y, yo + i, n - i, op);
  }
}
