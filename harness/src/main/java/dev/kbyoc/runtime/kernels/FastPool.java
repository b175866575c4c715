package dev.kbyoc.runtime.kernels;

/**
 * NCHW float32 {@code nn.max_pool2d} and {@code nn.avg_pool2d} on raw arrays: the reference's loop
 * (max starting at {@code -Float.MAX_VALUE}, in-range taps only, average summed in double in
 * window order and divided by the tap count or, with {@code count_include_pad}, the window size)
 * without its per-element layout arithmetic and accessors, so the results are identical.
 */
public final class FastPool {
  private FastPool() {}

  /**
   * Pools {@code x} (shape {@code is}) into {@code y} (shape {@code os}) with window {@code k},
   * strides {@code s}, dilations {@code d} and top/left padding {@code p}.
   */
  public static void run(float[] x, int[] is, float[] y, int[] os, int[] k, int[] s, int[] d, int[] p, boolean avg,
      boolean includePad) {
    int inPlane = is[2] * is[3];
    int outPlane = os[2] * os[3];
    if (!avg && d[0] == 1 && d[1] == 1) {
      maxDense(x, is, y, os, k, s, p);
      return;
    }
    for (int nc = 0; nc < os[0] * os[1]; nc++) {
      int ib = nc * inPlane;
      int ob = nc * outPlane;
      for (int oy = 0; oy < os[2]; oy++) {
        for (int ox = 0; ox < os[3]; ox++) {
          double acc = avg ? 0 : -Float.MAX_VALUE;
          int count = 0;
          for (int ky = 0; ky < k[0]; ky++) {
            int iy = oy * s[0] - p[0] + ky * d[0];
            if (iy < 0 || iy >= is[2]) {
              continue;
            }
            for (int kx = 0; kx < k[1]; kx++) {
              int ix = ox * s[1] - p[1] + kx * d[1];
              if (ix < 0 || ix >= is[3]) {
                continue;
              }
              double v = x[ib + iy * is[3] + ix];
              acc = avg ? acc + v : Math.max(acc, v);
              count++;
            }
          }
          if (avg) {
            acc /= includePad ? k[0] * k[1] : Math.max(count, 1);
          }
          y[ob + oy * os[3] + ox] = (float) acc;
        }
      }
    }
  }

  /**
   * Max pooling without dilation: per output the in-range window is clipped once (no test per
   * tap) and the float {@link Math#max(float, float)} is taken in the same window order, which
   * gives the double loop's result (max is exact; NaN propagates and +0 beats -0 in both).
   */
  private static void maxDense(float[] x, int[] is, float[] y, int[] os, int[] k, int[] s, int[] p) {
    int inPlane = is[2] * is[3];
    int outPlane = os[2] * os[3];
    for (int nc = 0; nc < os[0] * os[1]; nc++) {
      int ib = nc * inPlane;
      int ob = nc * outPlane;
      for (int oy = 0; oy < os[2]; oy++) {
        int y0 = Math.max(0, oy * s[0] - p[0]);
        int y1 = Math.min(is[2], oy * s[0] - p[0] + k[0]);
        for (int ox = 0; ox < os[3]; ox++) {
          int x0 = Math.max(0, ox * s[1] - p[1]);
          int x1 = Math.min(is[3], ox * s[1] - p[1] + k[1]);
          float acc = -Float.MAX_VALUE;
          for (int iy = y0; iy < y1; iy++) {
            int row = ib + iy * is[3];
            for (int ix = x0; ix < x1; ix++) {
              acc = Math.max(acc, x[row + ix]);
            }
          }
          y[ob + oy * os[3] + ox] = acc;
        }
      }
    }
  }
}
