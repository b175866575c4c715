package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.kendryte.format.KpuActivation;
import dev.kbyoc.kendryte.format.KpuBatchNorm;

/**
 * Turns a float {@link ConvGroup} into KPU integer parameters. With input {@code x = (qx - zx) Sx},
 * weights {@code w = qw Sw + Bw} (per-layer uint8) and output {@code y = (qy - zy) Sy}:
 * <ul>
 *   <li>{@code sum(w x) / (Sw Sx) = sum(qw qx) + (Bw/Sw) sum(qx) - zx sum(qw) - zx (Bw/Sw) k^2 ic}, so
 *       {@code arg_x / 2^shift_x = Bw / Sw}, {@code arg_w / 2^shift_w = -zx} and
 *       {@code arg_add = round(-zx (Bw / Sw) k^2)} (the KPU multiplies it by ic);
 *   <li>batchnorm computes {@code t = (qy_exact) * 2^P}: {@code mul / 2^15 = Sw Sx scale_c 2^P / Sy},
 *       {@code add = round((bias_c / Sy + zy) 2^P)}, with the largest P (at most 20) that keeps
 *       mul within 24 signed bits and add within 32;
 *   <li>the activation table maps {@code t >= 0} to {@code carry_shift(t, P)} (segment 10, as
 *       nncase's linear table) and negative t to 0; relu and relu6 come from the output range,
 *       which starts at 0 (and ends at 6 for relu6), and the saturation to [0, 255].
 * </ul>
 */
final class KpuQuantizer {
  private KpuQuantizer() {}

  /** The integer parameters of one layer. */
  record Layer(byte[] weights, int padValue, long argX, int shiftX, long argW, int shiftW, long argAdd,
      KpuBatchNorm[] bn, KpuActivation act) {}

  static Layer quantize(ConvGroup g, QuantParam in, QuantParam out) {
    float[] w = g.weights();
    double wmin = Double.POSITIVE_INFINITY;
    double wmax = Double.NEGATIVE_INFINITY;
    for (float v : w) {
      wmin = Math.min(wmin, v);
      wmax = Math.max(wmax, v);
    }
    double sw = wmax > wmin ? (wmax - wmin) / 255 : Math.max(Math.abs(wmin), 1e-6) / 255;
    double bw = wmax > wmin ? wmin : Math.min(wmin, 0);
    byte[] qw = new byte[w.length];
    int per = w.length / g.outC();
    for (int o = 0; o < g.outC(); o++) {
      double err = 0;
      double pow = 0;
      for (int i = o * per; i < (o + 1) * per; i++) {
        long q = Math.max(0, Math.min(255, Math.round((w[i] - bw) / sw)));
        qw[i] = (byte) q;
        double d = w[i] - (q * sw + bw);
        err += d * d;
        pow += (double) w[i] * w[i];
      }
      if (pow > 0 && Math.sqrt(err / pow) > 0.25) {
        throw new KbyocException("kendryte codegen: " + g.name() + ": output channel " + o
            + " loses " + Math.round(100 * Math.sqrt(err / pow)) + "% of its weights to per-layer uint8"
            + " quantization (its weights are tiny next to the layer's range); keep this layer on the host");
      }
    }
    double r = bw / sw;
    int shX = fitShift(r, g.name() + " weight offset");
    long argX = Math.round(r * (1L << shX));
    int shW = fitShift(-in.zero(), g.name() + " input zero point");
    long argW = -(long) in.zero() << shW;
    long argAdd = Math.round(-in.zero() * r * g.k() * g.k());
    if (Math.abs(argAdd) >= (1L << 39)) {
      throw new KbyocException("kendryte codegen: " + g.name() + ": arg_add " + argAdd + " exceeds 40 bits");
    }
    KpuBatchNorm[] bn = null;
    int p;
    for (p = 20; p >= 0; p--) {
      bn = batchNorm(g, sw * in.scale(), out, p);
      if (bn != null) {
        break;
      }
    }
    if (bn == null) {
      throw new KbyocException("kendryte codegen: " + g.name()
          + ": batchnorm multiplier or addend does not fit the KPU's 24/32-bit registers");
    }
    return new Layer(qw, in.zero(), argX, shX, argW, shW, argAdd, bn, activation(p));
  }

  /** The largest shift in [0, 15] with |value| * 2^shift within 24 signed bits. */
  private static int fitShift(double value, String what) {
    for (int s = 15; s >= 0; s--) {
      if (Math.abs(value) * (1L << s) < (1L << 23) - 1) {
        return s;
      }
    }
    throw new KbyocException("kendryte codegen: " + what + " " + value + " does not fit 24 signed bits");
  }

  private static KpuBatchNorm[] batchNorm(ConvGroup g, double accScale, QuantParam out, int p) {
    KpuBatchNorm[] bn = new KpuBatchNorm[g.outC()];
    double two = Math.scalb(1.0, p);
    for (int c = 0; c < g.outC(); c++) {
      double m = accScale * g.scale()[c] * two / out.scale();
      long mul = Math.round(m * (1 << 15));
      long add = Math.round((g.bias()[c] / out.scale() + out.zero()) * two);
      if (Math.abs(mul) >= (1L << 23) || add < Integer.MIN_VALUE || add > Integer.MAX_VALUE) {
        return null;
      }
      bn[c] = new KpuBatchNorm(mul, 15, add);
    }
    return bn;
  }

  private static KpuActivation activation(int p) {
    KpuActivation.Segment[] s = new KpuActivation.Segment[16];
    for (int i = 0; i < 10; i++) {
      s[i] = new KpuActivation.Segment(-(1L << 35) + i, 0, 0, 0);
    }
    s[10] = new KpuActivation.Segment(0, 1, p, 0);
    for (int i = 11; i < 16; i++) {
      s[i] = new KpuActivation.Segment((1L << 35) - 16 + i, 0, 0, 255);
    }
    return KpuActivation.of(s);
  }
}
