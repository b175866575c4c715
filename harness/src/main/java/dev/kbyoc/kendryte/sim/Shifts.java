package dev.kbyoc.kendryte.sim;

import dev.kbyoc.ir.Faults;

/** The integer shift primitives of the K210, shared by the KPU units and the CPU layers. */
public final class Shifts {
  private Shifts() {}

  /**
   * The SDK's {@code kpu_carry_shift} ({@code kpu.c}), the hardware reference for rounding shifts:
   * shift right by {@code shift - 1}, then if the lowest bit is set add one (positive) or subtract
   * one (negative) after the last shift. For non-negative values this rounds half up; for negative
   * odd intermediates it gives {@code floor(v / 2^shift) - 1}, which is what the SDK computes
   * (nncase v0.2 uses banker's rounding instead; kbyoc follows the SDK). Shift counts above 64 are
   * clamped to 64 (C leaves them undefined; C#, like Java, would mask them).
   */
  public static long carryShift(long value, int shift) {
    long r = value;
    if (shift > 0) {
      long v = value >> Math.min(shift - 1, 63);
      long sign = v >> 63;
      r = (v >> 1) + (((v & 1) ^ sign) - sign); // odd: one step away from zero, without a branch
    }
    return r + Faults.simRoundingDelta();
  }

  /** Arithmetic (flooring) right shift, with counts of 64 or more giving 0 or -1. */
  public static long floorShift(long value, int shift) {
    return value >> Math.min(shift, 63);
  }

  /** value / 2^shift, the float-mode counterpart of both shifts. */
  public static double exactShift(double value, int shift) {
    return Math.scalb(value, -shift);
  }

  /** Clamps to [0, 255]. */
  public static long clampU8(long v) {
    return Math.max(0, Math.min(255, v));
  }
}
