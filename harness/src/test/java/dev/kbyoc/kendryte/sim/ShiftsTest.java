package dev.kbyoc.kendryte.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link Shifts#carryShift}, the SDK's {@code kpu_carry_shift}, on values worked out by hand from
 * its C source: shift by {@code shift - 1}; an odd intermediate steps one away from zero after the
 * last shift (so negative odd intermediates give {@code floor(v / 2^shift) - 1}).
 */
class ShiftsTest {
  @Test
  void carryShiftFollowsTheSdk() {
    long[][] cases = {
      // value, shift, expected
      {7, 0, 7}, {-7, 0, -7},
      {7, 1, 4}, {6, 1, 3}, {5, 1, 3}, {-6, 1, -3}, {-7, 1, -5}, {-5, 1, -4}, {-1, 1, -2},
      {10, 2, 3}, {9, 2, 2}, {11, 2, 3}, {14, 2, 4}, {-10, 2, -4}, {-9, 2, -4}, {-12, 2, -3},
      {1000, 4, 63}, {1007, 4, 63}, {1008, 4, 63}, {1016, 4, 64}, {-1000, 4, -64},
      // shift counts past 63 clamp to 64: the sign bit alone remains
      {5, 70, 0}, {-1, 70, -2}, {Long.MIN_VALUE, 64, -2}, {Long.MAX_VALUE, 64, 0},
      {Long.MIN_VALUE, 1, Long.MIN_VALUE >> 1},
    };
    for (long[] c : cases) {
      assertEquals(c[2], Shifts.carryShift(c[0], (int) c[1]), "carryShift(" + c[0] + ", " + c[1] + ")");
    }
  }
}
