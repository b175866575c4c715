package dev.kbyoc.kendryte.sim;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.kendryte.format.CpuLayer;

/** Reads a CPU layer's u32 fields as the simulator uses them: main-memory addresses and element counts. */
final class LayerFields {
  private LayerFields() {}

  /** A main-memory address field (range-checked by {@link MainMemory#check} at use). */
  static int addr(CpuLayer l, String f) {
    return (int) l.u32(f);
  }

  /** A count field, rejected when so large that a byte size computed from it would overflow. */
  static int count(CpuLayer l, String f) {
    long v = l.u32(f);
    if (v > Integer.MAX_VALUE / 4) {
      throw new KbyocException("field " + f + " = " + v + " is absurd");
    }
    return (int) v;
  }
}
