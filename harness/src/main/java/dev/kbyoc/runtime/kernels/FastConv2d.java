package dev.kbyoc.runtime.kernels;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.op.Window2d;

/**
 * {@code nn.conv2d} (NCHW data, OIHW weights, any strides, padding, dilation and groups, so also
 * depthwise) for float32. Per output channel the kernel keeps a double accumulator plane and adds
 * each weight times the shifted input to it, visiting input channels, then kernel rows, then kernel
 * columns in the reference kernel's order, so every output pixel sums the same exact double
 * products (float times float is exact in double) in the same order as {@code ConvOps}' reference
 * and the results are identical. With stride 1 and finite weights the input is zero-padded once
 * and each tap is a single long loop over rows of the padded width, which the JIT vectorises
 * (padding taps add exact zeros); otherwise out-of-range taps are skipped row by row. Output
 * channels (times batches) are split across the shared pool. The Vector API was tried for the
 * inner loop and measured slower than this auto-vectorised loop on JDK 17 (docs/performance.md).
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
    Geo g = new Geo(is[1], is[2], is[3], ws[1], ws[2], ws[3], ws[0] / groups, os[1], os[2], os[3],
        s[0], s[1], d[0], d[1], p[0], p[1]);
    NDArray out = NDArray.zeros(DType.FLOAT32, os);
    float[] x = in.floatData();
    float[] wt = w.floatData();
    float[] y = out.floatData();
    long work = (long) g.outH() * g.outW() * g.inPerGroup() * g.kh() * g.kw();
    if (g.sh() == 1 && g.sw() == 1 && finite(wt)) {
      Padded xp = Padded.of(x, g, os[0]);
      Parallel.forEach(os[0] * os[1], work, job -> paddedChannel(xp, wt, y, g, job / os[1], job % os[1]));
    } else {
      Parallel.forEach(os[0] * os[1], work, job -> channel(x, wt, y, g, job / os[1], job % os[1]));
    }
    return out;
  }

  private static boolean finite(float[] w) {
    for (float v : w) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The input zero-padded into doubles, each channel {@code hp x wp}, with slack at the end so a
   * tap's loop may run past the last row (into columns whose outputs are discarded).
   */
  private record Padded(double[] data, int hp, int wp) {
    static Padded of(float[] x, Geo g, int batches) {
      int hp = g.outH() + (g.kh() - 1) * g.dh();
      int wp = g.outW() + (g.kw() - 1) * g.dw();
      double[] xp = new double[batches * g.inC() * hp * wp + (g.kw() - 1) * g.dw() + 1];
      for (int nc = 0; nc < batches * g.inC(); nc++) {
        for (int py = 0; py < hp; py++) {
          int iy = py - g.top();
          if (iy < 0 || iy >= g.inH()) {
            continue;
          }
          int dst = (nc * hp + py) * wp + g.left();
          int src = (nc * g.inH() + iy) * g.inW();
          for (int ix = 0; ix < g.inW() && ix + g.left() < wp; ix++) {
            xp[dst + ix] = x[src + ix];
          }
        }
      }
      return new Padded(xp, hp, wp);
    }
  }

  /**
   * Stride 1: the output plane is computed on rows of the padded width, so each tap is one long
   * loop {@code acc[i] += xp[i + shift] * w}; the columns past the output width are discarded.
   * Padding taps add exact zeros (weights are finite), which leaves each sum unchanged.
   */
  private static void paddedChannel(Padded xp, float[] w, float[] y, Geo g, int n, int o) {
    int wide = g.outH() * xp.wp();
    double[] acc = PLANE.get();
    if (acc.length < wide) {
      acc = new double[wide];
      PLANE.set(acc);
    }
    java.util.Arrays.fill(acc, 0, wide, 0.0);
    double[] x = xp.data();
    int grp = o / g.outPerGroup();
    for (int ic = 0; ic < g.inPerGroup(); ic++) {
      int inBase = (n * g.inC() + grp * g.inPerGroup() + ic) * xp.hp() * xp.wp();
      int wBase = (o * g.inPerGroup() + ic) * g.kh() * g.kw();
      for (int ky = 0; ky < g.kh(); ky++) {
        for (int kx = 0; kx < g.kw(); kx++) {
          double wv = w[wBase + ky * g.kw() + kx];
          int off = inBase + ky * g.dh() * xp.wp() + kx * g.dw();
          for (int i = 0; i < wide; i++) {
            acc[i] += x[off + i] * wv;
          }
        }
      }
    }
    int outBase = (n * g.outC() + o) * g.outH() * g.outW();
    for (int oy = 0; oy < g.outH(); oy++) {
      for (int ox = 0; ox < g.outW(); ox++) {
        y[outBase + oy * g.outW() + ox] = (float) acc[oy * xp.wp() + ox];
      }
    }
  }

  /** One output channel {@code o} of batch {@code n}. */
  private static void channel(float[] x, float[] w, float[] y, Geo g, int n, int o) {
    int plane = g.outH() * g.outW();
    double[] acc = PLANE.get();
    if (acc.length < plane) {
      acc = new double[plane];
      PLANE.set(acc);
    }
    java.util.Arrays.fill(acc, 0, plane, 0.0);
    int grp = o / g.outPerGroup();
    for (int ic = 0; ic < g.inPerGroup(); ic++) {
      int inBase = (n * g.inC() + grp * g.inPerGroup() + ic) * g.inH() * g.inW();
      int wBase = (o * g.inPerGroup() + ic) * g.kh() * g.kw();
      for (int ky = 0; ky < g.kh(); ky++) {
        for (int kx = 0; kx < g.kw(); kx++) {
          double wv = w[wBase + ky * g.kw() + kx];
          tap(x, inBase, acc, g, ky, kx, wv);
        }
      }
    }
    int outBase = (n * g.outC() + o) * plane;
    for (int i = 0; i < plane; i++) {
      y[outBase + i] = (float) acc[i];
    }
  }

  /** Adds {@code wv} times the input under tap (ky, kx) to every output pixel whose tap is in range. */
  private static void tap(float[] x, int inBase, double[] acc, Geo g, int ky, int kx, double wv) {
    int offX = kx * g.dw() - g.left();
    // output columns whose input column ox*sw + offX lies in [0, inW)
    int x0 = offX >= 0 ? 0 : ceilDiv(-offX, g.sw());
    int x1 = Math.min(g.outW(), g.inW() - offX <= 0 ? 0 : ceilDiv(g.inW() - offX, g.sw()));
    if (x0 >= x1) {
      return;
    }
    for (int oy = 0; oy < g.outH(); oy++) {
      int iy = oy * g.sh() - g.top() + ky * g.dh();
      if (iy < 0 || iy >= g.inH()) {
        continue;
      }
      int row = inBase + iy * g.inW() + offX;
      int a = oy * g.outW();
      if (g.sw() == 1) {
        for (int ox = x0; ox < x1; ox++) {
          acc[a + ox] += x[row + ox] * wv;
        }
      } else {
        for (int ox = x0; ox < x1; ox++) {
          acc[a + ox] += x[row + ox * g.sw()] * wv;
        }
      }
    }
  }

  private static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }
}
