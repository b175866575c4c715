package dev.kbyoc.kendryte.sim;

/**
 * The KPU convolution unit: a 1x1 or 3x3, stride-1, normal or depthwise convolution over uint8
 * inputs with uint8/uint16 weights, producing per pixel
 * {@code acc = sum(w*x) + (arg_x * sum(x) >> shift_x) + (arg_w * sum(w) >> shift_w) + arg_add * ic}
 * where the sums run over the window (3x3 windows pad with {@code pad_value}) and ic is the input
 * channels per output (1 for depthwise). This is the formula of nncase's K210 emulator (v0.1.0-rc5)
 * and kernel (v0.2 {@code k210_kernels.h}); its shifts are flooring, as in both (the SDK has no
 * CPU implementation of the KPU). nncase rc5's 1x1 depthwise path indexes weights per pixel,
 * a bug kbyoc does not copy: it uses one weight per channel, as v0.2 does.
 */
final class KpuConvUnit {
  private KpuConvUnit() {}

  /** The convolution parameters of one KPU layer. */
  record Params(int inChannels, int outChannels, int height, int width, int kernel, boolean depthwise,
      int padValue, long argX, int shiftX, long argW, int shiftW, long argAdd) {}

  /**
   * Accumulators for each output channel and pixel (C-order, out x h x w). In uint8 mode the inputs
   * are integers and every intermediate is an exact integer below 2^53, so double holds it exactly;
   * the argument terms use flooring integer shifts. In float mode they are exact divisions.
   */
  static double[] convolve(double[] x, int[] weights, Params p, SimMode mode) {
    return convolve(x, weights, p, mode, KpuVectors.enabled());
  }

  /**
   * As {@link #convolve(double[], int[], Params, SimMode)}; {@code vector}: a uint8 layer whose sums
   * fit an int ({@link #intSumsExact}) runs on {@link KpuConvVectorUnit}, which gives the same
   * accumulators (tests compare the two paths), else the scalar loops below run.
   */
  static double[] convolve(double[] x, int[] weights, Params p, SimMode mode, boolean vector) {
    if (vector && mode == SimMode.UINT8 && intSumsExact(weights, p)) {
      return KpuConvVectorUnit.convolve(x, weights, p);
    }
    int k = p.kernel();
    int pad = k == 3 ? 1 : 0;
    int h = p.height();
    int w = p.width();
    int hp = h + 2 * pad;
    int wp = w + 2 * pad;
    int plane = h * w;
    double[] xp = padded(x, p.inChannels(), h, w, pad, p.padValue());
    double[] winSum = windowSums(xp, p.inChannels(), h, w, k);
    double[] totalSum = null;
    if (!p.depthwise()) {
      totalSum = new double[plane];
      for (int c = 0; c < p.inChannels(); c++) {
        for (int i = 0; i < plane; i++) {
          totalSum[i] += winSum[c * plane + i];
        }
      }
    }
    int gic = p.depthwise() ? 1 : p.inChannels();
    double[] acc = new double[p.outChannels() * plane];
    // one output channel on rows of the padded width: each tap is a single loop over span
    // elements, and the columns past w (which read the next row's padding) are dropped below
    int span = (h - 1) * wp + w;
    double[] wide = new double[span];
    for (int oc = 0; oc < p.outChannels(); oc++) {
      long sumW = 0;
      int accBase = oc * plane;
      java.util.Arrays.fill(wide, 0.0);
      for (int g = 0; g < gic; g++) {
        int ic = p.depthwise() ? oc : g;
        int wBase = p.depthwise() ? oc * k * k : (oc * p.inChannels() + ic) * k * k;
        int xBase = ic * hp * wp;
        for (int ky = 0; ky < k; ky++) {
          for (int kx = 0; kx < k; kx++) {
            int wv = weights[wBase + ky * k + kx];
            sumW += wv;
            if (wv == 0) {
              continue;
            }
            double dw = wv;
            int xo = xBase + ky * wp + kx;
            for (int i = 0; i < span; i++) {
              wide[i] += dw * xp[xo + i];
            }
          }
        }
      }
      for (int y = 0; y < h; y++) {
        System.arraycopy(wide, y * wp, acc, accBase + y * w, w);
      }
      double[] sums = p.depthwise() ? winSum : totalSum;
      int sumBase = p.depthwise() ? oc * plane : 0;
      if (mode == SimMode.UINT8) {
        long termW = Shifts.floorShift(p.argW() * sumW, p.shiftW());
        long add = p.argAdd() * gic;
        for (int i = 0; i < plane; i++) {
          long sx = (long) sums[sumBase + i];
          acc[accBase + i] = (long) acc[accBase + i] + Shifts.floorShift(p.argX() * sx, p.shiftX()) + termW + add;
        }
      } else {
        double termW = Shifts.exactShift((double) p.argW() * sumW, p.shiftW());
        double add = (double) p.argAdd() * gic;
        for (int i = 0; i < plane; i++) {
          acc[accBase + i] += Shifts.exactShift(p.argX() * sums[sumBase + i], p.shiftX()) + termW + add;
        }
      }
    }
    return acc;
  }

  /**
   * Whether every partial sum of {@code w * x} and of {@code x} over a window fits an int: the
   * products are non-negative (uint8 inputs and pad value up to 255, unsigned weights), so the
   * partial sums grow to at most {@code 255 * sum(w)} per output channel and {@code 255 * ic * k * k}.
   * Always true for 8-bit weights (ic &lt;= 1024); 16-bit weights of large layers may exceed it.
   */
  static boolean intSumsExact(int[] weights, Params p) {
    int kw = p.kernel() * p.kernel() * (p.depthwise() ? 1 : p.inChannels());
    long limit = Integer.MAX_VALUE / 255;
    if (kw > limit) {
      return false;
    }
    for (int o = 0; o < p.outChannels(); o++) {
      long sum = 0;
      for (int i = 0; i < kw; i++) {
        int wv = weights[o * kw + i];
        if (wv < 0) {
          return false;
        }
        sum += wv;
      }
      if (sum > limit) {
        return false;
      }
    }
    return true;
  }

  private static double[] padded(double[] x, int c, int h, int w, int pad, int padValue) {
    if (pad == 0) {
      return x;
    }
    int hp = h + 2 * pad;
    int wp = w + 2 * pad;
    double[] r = new double[c * hp * wp];
    java.util.Arrays.fill(r, padValue);
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < h; y++) {
        System.arraycopy(x, (ch * h + y) * w, r, (ch * hp + y + pad) * wp + pad, w);
      }
    }
    return r;
  }

  /** Per channel and pixel, the sum of the k x k window of the padded input. */
  private static double[] windowSums(double[] xp, int c, int h, int w, int k) {
    int pad = k == 3 ? 1 : 0;
    int hp = h + 2 * pad;
    int wp = w + 2 * pad;
    double[] r = new double[c * h * w];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double s = 0;
          for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
              s += xp[(ch * hp + y + ky) * wp + x + kx];
            }
          }
          r[(ch * h + y) * w + x] = s;
        }
      }
    }
    return r;
  }
}
