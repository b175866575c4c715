package dev.kbyoc.kendryte.sim;

import dev.kbyoc.kendryte.format.KpuActivation;
import dev.kbyoc.kendryte.format.KpuBatchNorm;

/**
 * The KPU's per-channel batchnorm {@code y = (acc * mul >> shift) + add} (flooring shift, as in
 * both nncase versions) followed by the 16-segment activation
 * {@code z = clamp(carry_shift((y - x_start) * y_mul, shift) + bias, 0, 255)} on the segment whose
 * x_start is the last one at or below y. The activation rounding is the SDK's {@code
 * kpu_carry_shift} (nncase v0.1.0-rc5 agrees; v0.2 rounds half to even).
 */
final class KpuBatchNormActUnit {
  private KpuBatchNormActUnit() {}

  /** Applies batchnorm and activation in place over out channels of plane pixels each. */
  static void apply(double[] acc, int plane, KpuBatchNorm[] bn, KpuActivation act, SimMode mode) {
    for (int oc = 0; oc < bn.length; oc++) {
      KpuBatchNorm b = bn[oc];
      int base = oc * plane;
      for (int i = 0; i < plane; i++) {
        if (mode == SimMode.UINT8) {
          long y = Shifts.floorShift((long) acc[base + i] * b.mul(), b.shift()) + b.add();
          KpuActivation.Segment s = act.segment(act.segmentFor(y));
          long z = Shifts.carryShift((y - s.startX()) * s.mul(), s.shift()) + s.bias();
          acc[base + i] = Shifts.clampU8(z);
        } else {
          double y = Shifts.exactShift(acc[base + i] * b.mul(), b.shift()) + b.add();
          KpuActivation.Segment s = act.segment(act.segmentFor(y));
          double z = Shifts.exactShift((y - s.startX()) * s.mul(), s.shift()) + s.bias();
          acc[base + i] = Math.max(0, Math.min(255, z));
        }
      }
    }
  }
}
