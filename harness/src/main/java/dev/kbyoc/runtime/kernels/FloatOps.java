package dev.kbyoc.runtime.kernels;

import dev.kbyoc.op.Types;

/**
 * float32 elementwise and per-channel kernels on raw arrays (the graph runtime's buffers may be
 * longer than the tensor; only the leading elements are used), each with a Vector API form in
 * {@link VectorMap} when {@link Simd#enabled()}. Activations follow the reference ops:
 * {@code relu} is {@code x > 0 ? x : 0}, {@code clip} is {@code min(max(x, lo), hi)}; float
 * {@code +, -, *, /} round exactly as the reference's double operation rounded to float.
 */
public final class FloatOps {
  /** Binary operation codes. */
  public static final int ADD = 0;
  public static final int SUBTRACT = 1;
  public static final int MULTIPLY = 2;
  public static final int DIVIDE = 3;

  private FloatOps() {}

  /** {@code y[i] = act(x[i])} for i in [0, n). */
  public static void activation(float[] x, float[] y, int n, Epilogue act) {
    activation(x, 0, y, 0, n, act);
  }

  private static void activation(float[] x, int xo, float[] y, int yo, int n, Epilogue act) {
    if (act.act() == Epilogue.NONE) {
      System.arraycopy(x, xo, y, yo, n);
    } else if (Simd.enabled()) {
      VectorMap.activation(x, xo, y, yo, n, act);
    } else {
      for (int i = 0; i < n; i++) {
        y[yo + i] = act.apply(x[xo + i]);
      }
    }
  }

  /**
   * {@code y[yo + i] = act(x[xo + i] + r[yo + i])} for i in [0, n): a residual (laid out as the
   * output) added to finished values, then the activation, as the elementwise add and activation
   * compute them (the second pass reads rows still in cache).
   */
  static void addActivation(float[] x, int xo, float[] r, float[] y, int yo, int n, Epilogue act) {
    if (Simd.enabled()) {
      VectorMap.binary(x, xo, r, yo, y, yo, n, ADD);
    } else {
      binaryScalar(x, xo, 1, r, yo, 1, y, yo, n, ADD);
    }
    activation(y, yo, y, yo, n, act);
  }

  /**
   * {@code y = act(x * s[c] + t[c])}, a float multiply then a float add, over x viewed as (outer,
   * channels, inner): batch norm at inference ({@link dev.kbyoc.op.BatchNormInference}).
   */
  public static void channelAffine(float[] x, float[] y, int outer, int channels, int inner, float[] s, float[] t,
      Epilogue act) {
    for (int o = 0, base = 0; o < outer; o++) {
      for (int c = 0; c < channels; c++, base += inner) {
        if (Simd.enabled()) {
          VectorMap.affine(x, base, y, base, inner, s[c], t[c], act);
        } else {
          for (int j = 0; j < inner; j++) {
            y[base + j] = act.apply(dev.kbyoc.op.BatchNormInference.apply(x[base + j], s[c], t[c]));
          }
        }
      }
    }
  }

  /** {@code nn.bias_add} (then {@code act}) over x viewed as (outer, channels, inner). */
  public static void biasAdd(float[] x, float[] y, int outer, int channels, int inner, float[] bias, Epilogue act) {
    for (int o = 0, base = 0; o < outer; o++) {
      for (int c = 0; c < channels; c++, base += inner) {
        if (Simd.enabled()) {
          VectorMap.addScalar(x, base, y, base, inner, bias[c], act);
        } else {
          for (int j = 0; j < inner; j++) {
            y[base + j] = act.apply(x[base + j] + bias[c]);
          }
        }
      }
    }
  }

  /** numpy-broadcast {@code y = a op b} for shapes {@code as}, {@code bs} into {@code os}. */
  public static void binary(float[] a, int[] as, float[] b, int[] bs, float[] y, int[] os, int op) {
    int r = os.length;
    int size = 1;
    for (int d : os) {
      size *= d;
    }
    int[] sa = Types.broadcastStrides(as, os);
    int[] sb = Types.broadcastStrides(bs, os);
    // the trailing dimensions both operands hold contiguously (no broadcast) form one run per row;
    // without any, a row is the last dimension at each operand's own stride
    int outerDims = r;
    int inner = 1;
    while (outerDims > 0 && sa[outerDims - 1] == inner && sb[outerDims - 1] == inner) {
      inner *= os[--outerDims];
    }
    int ia = 1;
    int ib = 1;
    if (outerDims == r && r > 0) {
      outerDims = r - 1;
      inner = os[r - 1];
      ia = sa[r - 1];
      ib = sb[r - 1];
    }
    int rows = inner == 0 ? 0 : size / inner;
    int[] idx = new int[outerDims];
    for (int row = 0; row < rows; row++) {
      int oa = 0;
      int ob = 0;
      for (int d = 0; d < idx.length; d++) {
        oa += idx[d] * sa[d];
        ob += idx[d] * sb[d];
      }
      if (ia == 1 && ib == 1 && Simd.enabled()) {
        VectorMap.binary(a, oa, b, ob, y, row * inner, inner, op);
      } else {
        binaryScalar(a, oa, ia, b, ob, ib, y, row * inner, inner, op);
      }
      for (int d = idx.length - 1; d >= 0 && ++idx[d] == os[d]; d--) {
        idx[d] = 0;
      }
    }
  }

  static void binaryScalar(float[] a, int oa, int ia, float[] b, int ob, int ib, float[] y, int oy, int n, int op) {
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) {
          y[oy + i] = a[oa + i * ia] + b[ob + i * ib];
        }
      }
      case SUBTRACT -> {
        for (int i = 0; i < n; i++) {
          y[oy + i] = a[oa + i * ia] - b[ob + i * ib];
        }
      }
      case MULTIPLY -> {
        for (int i = 0; i < n; i++) {
          y[oy + i] = a[oa + i * ia] * b[ob + i * ib];
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          y[oy + i] = a[oa + i * ia] / b[ob + i * ib];
        }
      }
    }
  }



  /**
   * {@code nn.dense}: {@code y[r][u] = epilogue(sum_i x[r][i] * w[u][i])}, each sum float fused
   * multiply-adds in i order as the reference's. Eight units are summed side by side (eight
   * independent dependency chains, so the adds do not wait on each other).
   */
  public static void dense(float[] x, int rows, int k, float[] w, int units, float[] y, Epilogue e) {
    for (int r = 0; r < rows; r++) {
      int xb = r * k;
      int u = 0;
      for (; u + 8 <= units; u += 8) {
        int w0 = u * k;
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        for (int i = 0; i < k; i++) {
          float xv = x[xb + i];
          int q = w0 + i;
          s0 = Math.fma(xv, w[q], s0);
          s1 = Math.fma(xv, w[q + k], s1);
          s2 = Math.fma(xv, w[q + 2 * k], s2);
          s3 = Math.fma(xv, w[q + 3 * k], s3);
          s4 = Math.fma(xv, w[q + 4 * k], s4);
          s5 = Math.fma(xv, w[q + 5 * k], s5);
          s6 = Math.fma(xv, w[q + 6 * k], s6);
          s7 = Math.fma(xv, w[q + 7 * k], s7);
        }
        int yb = r * units + u;
        y[yb] = e.finish(s0, u);
        y[yb + 1] = e.finish(s1, u + 1);
        y[yb + 2] = e.finish(s2, u + 2);
        y[yb + 3] = e.finish(s3, u + 3);
        y[yb + 4] = e.finish(s4, u + 4);
        y[yb + 5] = e.finish(s5, u + 5);
        y[yb + 6] = e.finish(s6, u + 6);
        y[yb + 7] = e.finish(s7, u + 7);
      }
      for (; u < units; u++) {
        float s = 0f;
        for (int i = 0; i < k; i++) {
          s = Math.fma(x[xb + i], w[u * k + i], s);
        }
        y[r * units + u] = e.finish(s, u);
      }
    }
  }

  /**
   * NCHW global average pool over {@code nc} planes of {@code plane} elements, each summed in double
   * in element order (the reference's sum). Four planes are summed side by side: each sum is still
   * one sequential chain, but four chains hide the add latency a single chain waits on.
   */
  public static void globalAvgPool(float[] x, float[] y, int nc, int plane) {
    int c = 0;
    for (; c + 4 <= nc; c += 4) {
      double a0 = 0;
      double a1 = 0;
      double a2 = 0;
      double a3 = 0;
      int b0 = c * plane;
      for (int i = 0; i < plane; i++) {
        a0 += x[b0 + i];
        a1 += x[b0 + plane + i];
        a2 += x[b0 + 2 * plane + i];
        a3 += x[b0 + 3 * plane + i];
      }
      y[c] = (float) (a0 / plane);
      y[c + 1] = (float) (a1 / plane);
      y[c + 2] = (float) (a2 / plane);
      y[c + 3] = (float) (a3 / plane);
    }
    for (; c < nc; c++) {
      double acc = 0;
      int base = c * plane;
      for (int i = 0; i < plane; i++) {
        acc += x[base + i];
      }
      y[c] = (float) (acc / plane);
    }
  }
}
