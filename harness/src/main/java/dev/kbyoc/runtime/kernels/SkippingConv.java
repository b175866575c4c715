package dev.kbyoc.runtime.kernels;

/**
 * The convolution as the reference computes it: per output pixel, the in-range taps only,
 * summed with float fused multiply-adds in input-channel, kernel-row, kernel-column order. {@link Conv2dF32} falls back
 * to it when a weight is infinite or NaN, where adding a padding tap (zero times the weight, NaN)
 * would differ from skipping it. Each output channel keeps a float accumulator plane.
 */
final class SkippingConv {
  private SkippingConv() {}

  static void run(float[] x, float[] w, float[] y, Geo g, int batches, Epilogue e) {
    int plane = g.outH() * g.outW();
    float[] acc = new float[plane];
    for (int n = 0; n < batches; n++) {
      for (int o = 0; o < g.outC(); o++) {
        java.util.Arrays.fill(acc, 0f);
        int grp = o / g.outPerGroup();
        for (int ic = 0; ic < g.inPerGroup(); ic++) {
          int inBase = (n * g.inC() + grp * g.inPerGroup() + ic) * g.inH() * g.inW();
          int wBase = (o * g.inPerGroup() + ic) * g.kh() * g.kw();
          for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++) {
              tap(x, inBase, acc, g, ky, kx, w[wBase + ky * g.kw() + kx]);
            }
          }
        }
        int outBase = (n * g.outC() + o) * plane;
        for (int i = 0; i < plane; i++) {
          y[outBase + i] = e.finish(acc[i], o, outBase + i);
        }
      }
    }
  }

  /** Adds {@code wv} times the input under tap (ky, kx) to every output pixel whose tap is in range. */
  private static void tap(float[] x, int inBase, float[] acc, Geo g, int ky, int kx, float wv) {
    for (int oy = 0; oy < g.outH(); oy++) {
      int iy = oy * g.sh() - g.top() + ky * g.dh();
      if (iy < 0 || iy >= g.inH()) {
        continue;
      }
      for (int ox = 0; ox < g.outW(); ox++) {
        int ix = ox * g.sw() - g.left() + kx * g.dw();
        if (ix >= 0 && ix < g.inW()) {
          acc[oy * g.outW() + ox] = Math.fma(x[inBase + iy * g.inW() + ix], wv, acc[oy * g.outW() + ox]);
        }
      }
    }
  }
}
