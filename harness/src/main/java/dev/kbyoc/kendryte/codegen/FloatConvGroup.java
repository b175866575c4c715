package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.kendryte.sim.KpuPoolUnit;

/** Float execution of a {@link ConvGroup} (C x H x W doubles), used for calibration. */
final class FloatConvGroup {
  private FloatConvGroup() {}

  static double[] run(ConvGroup g, double[] x) {
    int h = g.h();
    int w = g.w();
    int k = g.k();
    int p = k / 2;
    double[] y = new double[g.outC() * h * w];
    for (int o = 0; o < g.outC(); o++) {
      for (int c0 = 0; c0 < (g.depthwise() ? 1 : g.inC()); c0++) {
        int c = g.depthwise() ? o : c0;
        for (int ky = 0; ky < k; ky++) {
          for (int kx = 0; kx < k; kx++) {
            double wv = g.weights()[((o * (g.depthwise() ? 1 : g.inC()) + c0) * k + ky) * k + kx];
            for (int yy = 0; yy < h; yy++) {
              int iy = yy + ky - p;
              if (iy < 0 || iy >= h) {
                continue;
              }
              for (int xx = 0; xx < w; xx++) {
                int ix = xx + kx - p;
                if (ix >= 0 && ix < w) {
                  y[(o * h + yy) * w + xx] += wv * x[(c * h + iy) * w + ix];
                }
              }
            }
          }
        }
      }
      for (int i = 0; i < h * w; i++) {
        double v = y[o * h * w + i] * g.scale()[o] + g.bias()[o];
        if (g.act() >= 1) {
          v = Math.max(0, v);
        }
        if (g.act() == 2) {
          v = Math.min(6, v);
        }
        y[o * h * w + i] = v;
      }
    }
    return pool(y, g.outC(), h, w, g.pool());
  }

  /** Float pooling with the KPU's window rules (max ignores the edge, mean clamps to it). */
  static double[] pool(double[] in, int c, int h, int w, int type) {
    if (type == 0) {
      return in;
    }
    int f = KpuPoolUnit.filter(type);
    int s = KpuPoolUnit.stride(type);
    int oh = h / s;
    int ow = w / s;
    double[] out = new double[c * oh * ow];
    for (int ch = 0; ch < c; ch++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          double v;
          if (type == 5 || type == 7) {
            v = in[(ch * h + oy * s) * w + ox * s];
          } else {
            boolean max = type == 1 || type == 3 || type == 9;
            v = max ? Double.NEGATIVE_INFINITY : 0;
            for (int dy = 0; dy < f; dy++) {
              for (int dx = 0; dx < f; dx++) {
                int y = oy * s + dy;
                int x = ox * s + dx;
                if (max) {
                  if (y < h && x < w) {
                    v = Math.max(v, in[(ch * h + y) * w + x]);
                  }
                } else {
                  v += in[(ch * h + Math.min(y, h - 1)) * w + Math.min(x, w - 1)];
                }
              }
            }
            if (!max) {
              v /= f * f;
            }
          }
          out[(ch * oh + oy) * ow + ox] = v;
        }
      }
    }
    return out;
  }
}
