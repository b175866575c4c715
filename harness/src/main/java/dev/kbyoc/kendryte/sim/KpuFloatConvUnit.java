package dev.kbyoc.kendryte.sim;

import dev.kbyoc.kendryte.format.FloatKpuTables;
import dev.kbyoc.kendryte.format.K210ConvLayer;

/**
 * A K210_CONV layer of a float kmodel (header flags bit 1), computed like the host's float32
 * conv2d: per output a float32 sum of fused multiply-adds from +0 over input channels, then kernel
 * rows, then kernel columns (the reference's canonical order, {@link dev.kbyoc.op.Kernel}, so the
 * sums are bit-identical to the host's), padding taps skipped; then
 * {@code float32(y * scale + bias)} from the float batchnorm arrays, the float activation table and
 * the pool: max over in-bounds positions, mean over the window clamped to the edge rounded to
 * float32, selection types as in {@link KpuPoolUnit}. The quantization fields of the registers
 * (pad_value, arg_x, arg_w, arg_add and shifts) are not used.
 */
final class KpuFloatConvUnit {
  private KpuFloatConvUnit() {}

  /** The layer's output (C x H' x W', float32 values) for a C x H x W input. */
  static double[] run(K210ConvLayer layer, double[] x, KpuConvUnit.Params p, int pool) {
    float[] wt = layer.weightFloats();
    float[] scales = FloatKpuTables.scales(layer.batchNormRegisters());
    float[] biases = FloatKpuTables.biases(layer.batchNormRegisters());
    FloatKpuTables.Segment[] act = FloatKpuTables.decode(layer.activationRegisters());
    int k = p.kernel();
    int pad = k / 2;
    int h = p.height();
    int w = p.width();
    int plane = h * w;
    int gic = p.depthwise() ? 1 : p.inChannels();
    float[] acc = new float[plane];
    double[] y = new double[p.outChannels() * plane];
    for (int oc = 0; oc < p.outChannels(); oc++) {
      java.util.Arrays.fill(acc, 0f);
      for (int g = 0; g < gic; g++) {
        int ic = p.depthwise() ? oc : g;
        int wBase = (oc * gic + g) * k * k;
        int xBase = ic * plane;
        for (int ky = 0; ky < k; ky++) {
          for (int kx = 0; kx < k; kx++) {
            float wv = wt[wBase + ky * k + kx];
            int dy = ky - pad;
            int dx = kx - pad;
            for (int yy = Math.max(0, -dy); yy < Math.min(h, h - dy); yy++) {
              int row = yy * w;
              int src = xBase + (yy + dy) * w + dx;
              for (int xx = Math.max(0, -dx); xx < Math.min(w, w - dx); xx++) {
                acc[row + xx] = Math.fma(wv, (float) x[src + xx], acc[row + xx]);
              }
            }
          }
        }
      }
      double scale = scales[oc];
      double bias = biases[oc];
      for (int i = 0; i < plane; i++) {
        float t = (float) ((double) acc[i] * scale + bias);
        y[oc * plane + i] = FloatKpuTables.apply(act, t);
      }
    }
    return pool(y, p.outChannels(), h, w, pool);
  }

  private static double[] pool(double[] in, int c, int h, int w, int type) {
    boolean max = type == 1 || type == 3 || type == 9;
    if (!max) {
      double[] r = KpuPoolUnit.pool(in, c, h, w, type, SimMode.FLOAT);
      for (int i = 0; i < r.length; i++) {
        r[i] = (float) r[i];
      }
      return r;
    }
    int f = KpuPoolUnit.filter(type);
    int s = KpuPoolUnit.stride(type);
    int oh = h / s;
    int ow = w / s;
    double[] out = new double[c * oh * ow];
    int o = 0;
    for (int ch = 0; ch < c; ch++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          double v = Double.NEGATIVE_INFINITY;
          for (int dy = 0; dy < f && oy * s + dy < h; dy++) {
            for (int dx = 0; dx < f && ox * s + dx < w; dx++) {
              v = Math.max(v, in[(ch * h + oy * s + dy) * w + ox * s + dx]);
            }
          }
          out[o++] = v;
        }
      }
    }
    return out;
  }
}
