package dev.kbyoc.kendryte.sim;

/**
 * An independent integer reference of one KPU layer, written from the formulas (kpu.c's
 * kpu_carry_shift, nncase's conv/batchnorm/activation/pool) with plain loops and long arithmetic,
 * sharing no code with the simulator. Input and output are compact C x H x W uint8 values.
 */
final class KpuConvReference {
  private KpuConvReference() {}

  static long carry(long v, int s) {
    if (s == 0) {
      return v;
    }
    long t = v >> (s - 1);
    if ((t & 1) == 0) {
      return t >> 1;
    }
    return t < 0 ? (t >> 1) - 1 : (t >> 1) + 1;
  }

  /** Layer parameters; act arrays have 16 entries sorted by start. */
  record Layer(int ic, int oc, int h, int w, int k, boolean dw, int pad, long argX, int shX, long argW, int shW,
      long argAdd, int[] weights, long[] bnMul, int[] bnShift, long[] bnAdd, long[] actStart, int[] actMul,
      int[] actShift, int[] actBias, int pool) {}

  /** Batchnorm outputs before activation (for tuning the random activation tables). */
  static long[] batchNorm(int[] in, Layer l) {
    long[] r = new long[l.oc() * l.h() * l.w()];
    int p = l.k() / 2;
    for (int o = 0; o < l.oc(); o++) {
      for (int y = 0; y < l.h(); y++) {
        for (int x = 0; x < l.w(); x++) {
          long v = 0;
          long sx = 0;
          long sw = 0;
          for (int c = 0; c < l.ic(); c++) {
            if (l.dw() && c != o) {
              continue;
            }
            for (int ky = 0; ky < l.k(); ky++) {
              for (int kx = 0; kx < l.k(); kx++) {
                int iy = y + ky - p;
                int ix = x + kx - p;
                long xv = iy < 0 || ix < 0 || iy >= l.h() || ix >= l.w() ? l.pad() : in[(c * l.h() + iy) * l.w() + ix];
                int widx = l.dw() ? (o * l.k() + ky) * l.k() + kx : ((o * l.ic() + c) * l.k() + ky) * l.k() + kx;
                long wv = l.weights()[widx];
                v += xv * wv;
                sx += xv;
                sw += wv;
              }
            }
          }
          long acc = v + ((l.argX() * sx) >> l.shX()) + ((l.argW() * sw) >> l.shW()) + l.argAdd() * (l.dw() ? 1 : l.ic());
          r[(o * l.h() + y) * l.w() + x] = ((acc * l.bnMul()[o]) >> l.bnShift()[o]) + l.bnAdd()[o];
        }
      }
    }
    return r;
  }

  static int[] run(int[] in, Layer l) {
    long[] bn = batchNorm(in, l);
    int[] a = new int[bn.length];
    for (int i = 0; i < bn.length; i++) {
      int s = 0;
      for (int j = 0; j < 16; j++) {
        if (l.actStart()[j] <= bn[i]) {
          s = j;
        }
      }
      long z = carry((bn[i] - l.actStart()[s]) * l.actMul()[s], l.actShift()[s]) + l.actBias()[s];
      a[i] = (int) Math.max(0, Math.min(255, z));
    }
    return pool(a, l.oc(), l.h(), l.w(), l.pool());
  }

  static int[] pool(int[] a, int c, int h, int w, int type) {
    if (type == 0) {
      return a;
    }
    int f = type == 3 || type == 4 || type == 7 ? 4 : 2;
    int s = type == 8 || type == 9 ? 1 : f;
    int oh = h / s;
    int ow = w / s;
    int[] r = new int[c * oh * ow];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < oh; y++) {
        for (int x = 0; x < ow; x++) {
          int v;
          if (type == 5 || type == 7) {
            v = a[(ch * h + y * s) * w + x * s];
          } else if (type == 6) {
            v = x * s + 1 < w ? a[(ch * h + y * s) * w + x * s + 1] : 0;
          } else {
            int max = 0;
            int sum = 0;
            for (int dy = 0; dy < f; dy++) {
              for (int dx = 0; dx < f; dx++) {
                int yy = y * s + dy;
                int xx = x * s + dx;
                if (yy < h && xx < w) {
                  max = Math.max(max, a[(ch * h + yy) * w + xx]);
                }
                sum += a[(ch * h + Math.min(yy, h - 1)) * w + Math.min(xx, w - 1)];
              }
            }
            v = type == 1 || type == 3 || type == 9 ? max : sum / (f * f);
          }
          r[(ch * oh + y) * ow + x] = v;
        }
      }
    }
    return r;
  }
}
