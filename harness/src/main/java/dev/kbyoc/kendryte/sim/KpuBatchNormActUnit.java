package dev.kbyoc.kendryte.sim;

import dev.kbyoc.ir.Faults;
import dev.kbyoc.kendryte.format.KpuActivation;
import dev.kbyoc.kendryte.format.KpuBatchNorm;

/**
 * The KPU's per-channel batchnorm {@code y = (acc * mul >> shift) + add} (flooring shift, as in
 * both nncase versions) followed by the 16-segment activation
 * {@code z = clamp(carry_shift((y - x_start) * y_mul, shift) + bias, 0, 255)} on the segment whose
 * x_start is the last one at or below y. The activation rounding is the SDK's {@code
 * kpu_carry_shift} (nncase v0.1.0-rc5 agrees; v0.2 rounds half to even).
 *
 * <p>In uint8 mode (the simulator's hot loop after the convolution) the per-value work has no
 * data-dependent branch, which real data would mispredict about every other value (a ReLU table
 * splits y at 0): per channel the batchnorm outputs are computed first, then the segment choice
 * over their range [min, max] becomes a step function with one step per segment start inside the
 * range (one for the codegen's ReLU tables), found per value by counting the steps below it; the
 * carry shift and the clamp are computed with masks. A channel with outputs beyond +-2^40
 * searches with {@link KpuActivation#segmentFor(long)} per value. Same results as the formulas above.
 */
final class KpuBatchNormActUnit {
  private KpuBatchNormActUnit() {}

  /** Applies batchnorm and activation in place over out channels of plane pixels each. */
  static void apply(double[] acc, int plane, KpuBatchNorm[] bn, KpuActivation act, SimMode mode) {
    if (mode == SimMode.UINT8) {
      applyUint8(acc, plane, bn, act);
      return;
    }
    for (int oc = 0; oc < bn.length; oc++) {
      KpuBatchNorm b = bn[oc];
      int base = oc * plane;
      for (int i = 0; i < plane; i++) {
        double y = Shifts.exactShift(acc[base + i] * b.mul(), b.shift()) + b.add();
        KpuActivation.Segment s = act.segment(act.segmentFor(y));
        double z = Shifts.exactShift((y - s.startX()) * s.mul(), s.shift()) + s.bias();
        acc[base + i] = Math.max(0, Math.min(255, z));
      }
    }
  }

  private static void applyUint8(double[] acc, int plane, KpuBatchNorm[] bn, KpuActivation act) {
    long[] start = new long[16];
    long[] mul = new long[16];
    int[] shiftLess1 = new int[16];
    long[] noShift = new long[16];
    long[] bias = new long[16];
    for (int i = 0; i < 16; i++) {
      KpuActivation.Segment s = act.segment(i);
      start[i] = s.startX();
      mul[i] = s.mul();
      shiftLess1[i] = Math.min(Math.max(s.shift() - 1, 0), 63);
      noShift[i] = s.shift() == 0 ? -1 : 0;
      bias[i] = s.bias() + Faults.simRoundingDelta();
    }
    long[] ys = new long[plane];
    long[] breaks = new long[16];
    int[] segs = new int[17];
    for (int oc = 0; oc < bn.length; oc++) {
      KpuBatchNorm b = bn[oc];
      long bMul = b.mul();
      int bShift = Math.min(b.shift(), 63);
      long bAdd = b.add();
      int base = oc * plane;
      long lo = Long.MAX_VALUE;
      long hi = Long.MIN_VALUE;
      for (int i = 0; i < plane; i++) {
        long y = ((long) acc[base + i] * bMul >> bShift) + bAdd;
        ys[i] = y;
        lo = Math.min(lo, y);
        hi = Math.max(hi, y);
      }
      int m = lo < -Y_LIMIT || hi > Y_LIMIT ? -1 : steps(act, lo, hi, breaks, segs);
      for (int i = 0; i < plane; i++) {
        long y = ys[i];
        int seg;
        if (m == 0) {
          seg = segs[0];
        } else if (m == 1) {
          seg = segs[(int) ((breaks[0] - y) >>> 63)];
        } else if (m > 1) {
          int t = 0;
          for (int k = 0; k < m; k++) {
            t += (int) ((breaks[k] - y) >>> 63);
          }
          seg = segs[t];
        } else {
          seg = act.segmentFor(y);
        }
        // kpu_carry_shift: shift by shift - 1, then an odd value steps one away from zero
        long v = (y - start[seg]) * mul[seg];
        long t = v >> shiftLess1[seg];
        long sign = t >> 63;
        long r = (t >> 1) + (((t & 1) ^ sign) - sign);
        long z = (r ^ ((r ^ v) & noShift[seg])) + bias[seg];
        z &= ~(z >> 63); // clamp to [0, 255]
        long over = z - 255;
        acc[base + i] = U8[(int) (z - (over & ~(over >> 63)))];
      }
    }
  }

  /** Batchnorm outputs beyond this take the per-value search (segment starts are 36-bit). */
  private static final long Y_LIMIT = 1L << 40;

  /** The uint8 values as doubles (a load instead of a long-to-double conversion per value). */
  private static final double[] U8 = new double[256];

  static {
    for (int i = 0; i < 256; i++) {
      U8[i] = i;
    }
  }

  /**
   * The activation's segment choice as a step function of y over [lo, hi]: {@code breaks} gets the
   * distinct segment starts in (lo, hi] ascending, each minus 1, and {@code segs[t]} the segment of
   * every y with exactly t of them below it ({@code breaks[k] - y < 0}). Returns the number of
   * breaks. Any table order works: the segments are {@link KpuActivation#segmentFor(long)}'s own.
   */
  private static int steps(KpuActivation act, long lo, long hi, long[] breaks, int[] segs) {
    int m = 0;
    for (int j = 0; j < 16; j++) {
      long s = act.segment(j).startX();
      if (s > lo && s <= hi) {
        breaks[m++] = s;
      }
    }
    java.util.Arrays.sort(breaks, 0, m);
    int d = 0;
    for (int k = 0; k < m; k++) {
      if (d == 0 || breaks[d - 1] != breaks[k]) {
        breaks[d++] = breaks[k];
      }
    }
    segs[0] = act.segmentFor(lo);
    for (int k = 0; k < d; k++) {
      segs[k + 1] = act.segmentFor(breaks[k]);
      breaks[k] -= 1;
    }
    return d;
  }
}
