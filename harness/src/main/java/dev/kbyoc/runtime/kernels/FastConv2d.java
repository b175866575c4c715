package dev.kbyoc.runtime.kernels;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.op.Window2d;

/**
 * {@code nn.conv2d} (NCHW data, OIHW weights, any strides, padding, dilation and groups, so also
 * depthwise) for float32. Per output channel the kernel keeps a double accumulator plane and adds
 * each weight times the shifted input rows to it (an axpy over a contiguous row when the stride is
 * 1, which the JIT vectorises), visiting input channels, then kernel rows, then kernel columns in
 * the reference kernel's order and skipping the same out-of-range taps; so every output pixel sums
 * the same exact double products in the same order as {@code ConvOps}' reference and the results
 * are identical. Output channels (times batches) are split across the shared pool.
 */
final class FastConv2d {
  private static final ThreadLocal<double[]> PLANE = ThreadLocal.withInitial(() -> new double[0]);

  private FastConv2d() {}

  /** Whether this kernel handles the call (float32 in and out); otherwise the reference runs. */
  static boolean handles(NDArray in, NDArray w, TensorType out) {
    return in.dtype() == DType.FLOAT32 && w.dtype() == DType.FLOAT32 && out.dtype() == DType.FLOAT32;
  }

  static NDArray compute(NDArray in, NDArray w, Attrs attrs, TensorType outType) {
    int[] is = in.shape();
    int[] ws = w.shape();
    int[] os = outType.shape();
    int[] s = attrs.getInts("strides");
    int[] d = attrs.getInts("dilation");
    int[] p = Window2d.padding(attrs);
    int groups = attrs.getInt("groups");
    Geometry g = new Geometry(is[1], is[2], is[3], ws[1], ws[2], ws[3], ws[0] / groups, os[1], os[2], os[3],
        s[0], s[1], d[0], d[1], p[0], p[1]);
    NDArray out = NDArray.zeros(DType.FLOAT32, os);
    float[] x = in.floatData();
    float[] wt = w.floatData();
    float[] y = out.floatData();
    long work = (long) g.outH * g.outW * g.inPerGroup * g.kh * g.kw;
    Parallel.forEach(os[0] * os[1], work, job -> channel(x, wt, y, g, job / os[1], job % os[1]));
    return out;
  }

  /** The shapes and window of one convolution. */
  private record Geometry(int inC, int inH, int inW, int inPerGroup, int kh, int kw, int outPerGroup, int outC,
      int outH, int outW, int sh, int sw, int dh, int dw, int top, int left) {}

  /** One output channel {@code o} of batch {@code n}. */
  private static void channel(float[] x, float[] w, float[] y, Geometry g, int n, int o) {
    int plane = g.outH * g.outW;
    double[] acc = PLANE.get();
    if (acc.length < plane) {
      acc = new double[plane];
      PLANE.set(acc);
    }
    java.util.Arrays.fill(acc, 0, plane, 0.0);
    int grp = o / g.outPerGroup;
    for (int ic = 0; ic < g.inPerGroup; ic++) {
      int inBase = (n * g.inC + grp * g.inPerGroup + ic) * g.inH * g.inW;
      int wBase = (o * g.inPerGroup + ic) * g.kh * g.kw;
      for (int ky = 0; ky < g.kh; ky++) {
        for (int kx = 0; kx < g.kw; kx++) {
          double wv = w[wBase + ky * g.kw + kx];
          tap(x, inBase, acc, g, ky, kx, wv);
        }
      }
    }
    int outBase = (n * g.outC + o) * plane;
    for (int i = 0; i < plane; i++) {
      y[outBase + i] = (float) acc[i];
    }
  }

  /** Adds {@code wv} times the input under tap (ky, kx) to every output pixel whose tap is in range. */
  private static void tap(float[] x, int inBase, double[] acc, Geometry g, int ky, int kx, double wv) {
    int offX = kx * g.dw - g.left;
    // output columns whose input column ox*sw + offX lies in [0, inW)
    int x0 = offX >= 0 ? 0 : ceilDiv(-offX, g.sw);
    int x1 = Math.min(g.outW, g.inW - offX <= 0 ? 0 : ceilDiv(g.inW - offX, g.sw));
    if (x0 >= x1) {
      return;
    }
    for (int oy = 0; oy < g.outH; oy++) {
      int iy = oy * g.sh - g.top + ky * g.dh;
      if (iy < 0 || iy >= g.inH) {
        continue;
      }
      int row = inBase + iy * g.inW + offX;
      int a = oy * g.outW;
      if (g.sw == 1) {
        for (int ox = x0; ox < x1; ox++) {
          acc[a + ox] += x[row + ox] * wv;
        }
      } else {
        for (int ox = x0; ox < x1; ox++) {
          acc[a + ox] += x[row + ox * g.sw] * wv;
        }
      }
    }
  }

  private static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }
}
