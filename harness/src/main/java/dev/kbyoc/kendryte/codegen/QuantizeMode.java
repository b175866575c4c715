package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.kendryte.sim.SimMode;
import java.util.Locale;

/**
 * What kind of kmodel the codegen emits (the {@code --quantize} option of {@code kbyoc build}).
 * Both modes emit the same layers with the same {@code kpu_layer_argument_t} shapes, addresses
 * and KPU RAM layout; they differ in the numbers inside the layers.
 */
public enum QuantizeMode {
  /**
   * The kbyoc-only float variant (header flags bit 1, see {@code kendryte.format.Kmodel}): K210_CONV
   * weights as float32 in the Relay constant's OIHW byte layout, batchnorm and activation as
   * float32 tables, QUANTIZE/DEQUANTIZE as identities. Runs on the simulator in
   * {@link SimMode#FLOAT} only and equals the host build to float32 rounding; a K210 cannot run it.
   */
  FLOAT,
  /** A real K210 kmodel: uint8 activations and weights, integer batchnorm, 16-segment tables. */
  UINT8;

  /** The simulator mode that runs a kmodel of this kind. */
  public SimMode simMode() {
    return this == FLOAT ? SimMode.FLOAT : SimMode.UINT8;
  }

  /** The option spelling: {@code float} or {@code uint8}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code float} or {@code uint8} (case-insensitive); null for anything else. */
  public static QuantizeMode parse(String s) {
    for (QuantizeMode m : values()) {
      if (m.label().equalsIgnoreCase(s)) {
        return m;
      }
    }
    return null;
  }
}
