package dev.kbyoc.runtime.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API forms of the {@link FloatOps} loops and of dense rows: whole vectors first, the
 * remaining elements by the same scalar expressions, so results equal the plain loops'
 * (except dense, whose double dot products sum lane-wise). Only loaded when {@link Simd#enabled()}.
 */
final class VectorMap {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
  private static final int LD = D.length();

  private VectorMap() {}

  /** {@code y[yo+i] = act((float) ((x[xo+i] - m) * s + t))} in double for i in [0, n); see {@link FloatOps#channelAffine}. */
  static void affine(float[] x, int xo, float[] y, int yo, int n, double m, double s, double t, Epilogue act) {
    DoubleVector vm = DoubleVector.broadcast(D, m);
    DoubleVector vs = DoubleVector.broadcast(D, s);
    DoubleVector vt = DoubleVector.broadcast(D, t);
    int i = 0;
    // vector loop without activation only: a vector merged from branches would be boxed (JDK 17)
    for (; act.act() == Epilogue.NONE && i + LD <= n; i += LD) {
      DoubleVector d = (DoubleVector) FloatVector.fromArray(F, x, xo + i).convertShape(VectorOperators.F2D, D, 0);
      ((FloatVector) d.sub(vm).mul(vs).add(vt).convertShape(VectorOperators.D2F, F, 0)).intoArray(y, yo + i);
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

  private static DoubleVector wide(float[] v, int at) {
    return (DoubleVector) FloatVector.fromArray(F, v, at).convertShape(VectorOperators.F2D, D, 0);
  }

  /**
   * {@code y[r][u] = epilogue(sum_i x[r][i] w[u][i])} summed in double (exact products; the lanes
   * hold interleaved partial sums, added at the end): four units share each x vector.
   */
  static void dense(float[] x, int rows, int k, float[] w, int units, float[] y, Epilogue e) {
    for (int r = 0; r < rows; r++) {
      int xb = r * k;
      int u = 0;
      for (; u + 4 <= units; u += 4) {
        int w0 = u * k;
        int w1 = w0 + k;
        int w2 = w1 + k;
        int w3 = w2 + k;
        DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + LD <= k; i += LD) {
          DoubleVector xv = wide(x, xb + i);
          a0 = xv.fma(wide(w, w0 + i), a0);
          a1 = xv.fma(wide(w, w1 + i), a1);
          a2 = xv.fma(wide(w, w2 + i), a2);
          a3 = xv.fma(wide(w, w3 + i), a3);
        }
        double s0 = a0.reduceLanes(VectorOperators.ADD);
        double s1 = a1.reduceLanes(VectorOperators.ADD);
        double s2 = a2.reduceLanes(VectorOperators.ADD);
        double s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; i < k; i++) {
          double xv = x[xb + i];
          s0 += xv * w[w0 + i];
          s1 += xv * w[w1 + i];
          s2 += xv * w[w2 + i];
          s3 += xv * w[w3 + i];
        }
        int yb = r * units + u;
        y[yb] = e.finish((float) s0, u);
        y[yb + 1] = e.finish((float) s1, u + 1);
        y[yb + 2] = e.finish((float) s2, u + 2);
        y[yb + 3] = e.finish((float) s3, u + 3);
      }
      for (; u < units; u++) {
        DoubleVector a0 = DoubleVector.zero(D);
        int wb = u * k;
        int i = 0;
        for (; i + LD <= k; i += LD) {
          a0 = wide(x, xb + i).fma(wide(w, wb + i), a0);
        }
        double s0 = a0.reduceLanes(VectorOperators.ADD);
        for (; i < k; i++) {
          s0 += (double) x[xb + i] * w[wb + i];
        }
        y[r * units + u] = e.finish((float) s0, u);
      }
    }
  }
}
