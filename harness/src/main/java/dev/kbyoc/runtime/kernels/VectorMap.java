package dev.kbyoc.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API forms of the {@link FloatOps} loops: whole vectors first, the remaining elements by
 * the same scalar expressions, so results equal the plain loops'. Only loaded when
 * {@link Simd#enabled()}.
 */
final class VectorMap {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** Lanes 0..L/2 take the even elements of the first vector, the rest those of the second (negative: second vector). */
  private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> i < L / 2 ? 2 * i : 2 * (i - L / 2) - L);
  /** The same for the odd elements. */
  private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> i < L / 2 ? 2 * i + 1 : 2 * (i - L / 2) + 1 - L);

  private VectorMap() {}

  /**
   * Splits {@code x[src + 2j]} into {@code e[d0 + j]} and {@code x[src + 2j + 1]} into
   * {@code o[d1 + j]} for j from {@code lo} while a whole vector of j fits below {@code hi};
   * returns the first j not done.
   */
  static int deinterleave(float[] x, int src, float[] s, int d0, int d1, int lo, int hi) {
    int j = lo;
    for (; j + L <= hi; j += L) {
      FloatVector a = FloatVector.fromArray(S, x, src + 2 * j);
      FloatVector b = FloatVector.fromArray(S, x, src + 2 * j + L);
      a.rearrange(EVEN, b).intoArray(s, d0 + j);
      a.rearrange(ODD, b).intoArray(s, d1 + j);
    }
    return j;
  }

  /** {@code y[yo+i] = act(x[xo+i] * s + t)} (a float multiply, then a float add) for i in [0, n); see {@link FloatOps#channelAffine}. */
  static void affine(float[] x, int xo, float[] y, int yo, int n, float s, float t, Epilogue act) {
    int i = 0;
    // vector loop without activation only: a vector merged from branches would be boxed (JDK 17)
    for (; act.act() == Epilogue.NONE && i + L <= n; i += L) {
      FloatVector.fromArray(S, x, xo + i).mul(s).add(t).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      float scaled = x[xo + i] * s;
      y[yo + i] = act.apply(scaled + t);
    }
  }

  /** {@code y = act(x)} elementwise; one straight loop per activation (no vector value merged from branches). */
  static void activation(float[] x, int xo, float[] y, int yo, int n, Epilogue act) {
    int i = 0;
    if (act.act() == Epilogue.RELU) {
      FloatVector z = FloatVector.zero(S);
      for (; i + L <= n; i += L) {
        FloatVector v = FloatVector.fromArray(S, x, xo + i);
        z.blend(v, v.compare(VectorOperators.GT, z)).intoArray(y, yo + i);
      }
    } else {
      // min/max lanewise fall back to Java code on JDK 17; compare + blend with Math.max/min's
      // signed zeros: max(-0, +0) = +0, min(+0, -0) = -0
      FloatVector lo = FloatVector.broadcast(S, act.lo());
      FloatVector hi = FloatVector.broadcast(S, act.hi());
      VectorOperators.Comparison below = Epilogue.lowTest(act.lo()) ? VectorOperators.LE : VectorOperators.LT;
      VectorOperators.Comparison above = Epilogue.highTest(act.hi()) ? VectorOperators.GE : VectorOperators.GT;
      for (; i + L <= n; i += L) {
        FloatVector v = FloatVector.fromArray(S, x, xo + i);
        v = v.blend(lo, v.compare(below, lo));
        v.blend(hi, v.compare(above, hi)).intoArray(y, yo + i);
      }
    }
    for (; i < n; i++) {
      y[yo + i] = act.apply(x[xo + i]);
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

  /**
   * {@code y = a op b} elementwise over n; op 0 add, 1 subtract, 2 multiply, 3 divide. One loop per
   * op: a vector chosen by a switch inside the loop is merged from branches and boxed (JDK 17), and
   * every lane operation then runs in Java.
   */
  static void binary(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n, int op) {
    int i = 0;
    int end = n - L;
    switch (op) {
      case 0 -> {
        for (; i <= end; i += L) {
          FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
        }
      }
      case 1 -> {
        for (; i <= end; i += L) {
          FloatVector.fromArray(S, a, ao + i).sub(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
        }
      }
      case 2 -> {
        for (; i <= end; i += L) {
          FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
        }
      }
      default -> {
        for (; i <= end; i += L) {
          FloatVector.fromArray(S, a, ao + i).div(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
        }
      }
    }
    FloatOps.binaryScalar(a, ao + i, 1, b, bo + i, 1, y, yo + i, n - i, op);
  }
}
