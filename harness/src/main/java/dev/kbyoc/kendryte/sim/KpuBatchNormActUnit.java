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
 * <p>In uint8 mode the table is read once into arrays and, when the starts ascend (as every table
 * kbyoc and nncase write), the segment is found by counting the starts at or below y, which is the
 * same segment as the top-down search of {@link KpuActivation#segmentFor(long)} without its
 * unpredictable branches.
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
    int[] shift = new int[16];
    long[] bias = new long[16];
    boolean ascending = true;
    for (int i = 0; i < 16; i++) {
      KpuActivation.Segment s = act.segment(i);
      start[i] = s.startX();
      mul[i] = s.mul();
      shift[i] = s.shift();
      bias[i] = s.bias();
      ascending &= i == 0 || start[i - 1] <= start[i];
    }
    long delta = Faults.simRoundingDelta();
    for (int oc = 0; oc < bn.length; oc++) {
      KpuBatchNorm b = bn[oc];
      long bMul = b.mul();
      int bShift = b.shift();
      long bAdd = b.add();
      int base = oc * plane;
      for (int i = 0; i < plane; i++) {
        long y = Shifts.floorShift((long) acc[base + i] * bMul, bShift) + bAdd;
        int seg = ascending ? lastAtOrBelow(start, y) : act.segmentFor(y);
        long z = Shifts.carryShiftBits((y - start[seg]) * mul[seg], shift[seg]) + delta + bias[seg];
        acc[base + i] = Shifts.clampU8(z);
      }
    }
  }

  /** For ascending starts: the last index whose start is at most y, or 0 when none is. */
  private static int lastAtOrBelow(long[] start, long y) {
    int n = 0;
    for (int i = 0; i < 16; i++) {
      n += start[i] <= y ? 1 : 0;
    }
    return Math.max(n - 1, 0);
  }
}
