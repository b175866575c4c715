package dev.kbyoc.kendryte.format;

import java.util.List;

/**
 * A parsed kmodel v3: the {@code kpu_kmodel_header_t} fields (version 3, flags with bit 0 = 8-bit
 * weights, arch 0, max_start_address, main_mem_usage), the output table and the layers. The
 * header's layers_length and output_count are the list sizes.
 */
public record Kmodel(long version, long flags, long arch, long maxStartAddress, long mainMemUsage,
    List<KmodelOutput> outputs, List<KLayer> layers) {
  /** The only version this format handles. */
  public static final int VERSION = 3;
  /** Byte size of {@code kpu_kmodel_header_t}. */
  public static final int HEADER_BYTES = 28;

  public Kmodel {
    outputs = List.copyOf(outputs);
    layers = List.copyOf(layers);
  }

  /** A v3, arch 0 kmodel. */
  public static Kmodel of(boolean eightBitWeights, long maxStartAddress, long mainMemUsage,
      List<KmodelOutput> outputs, List<KLayer> layers) {
    return new Kmodel(VERSION, eightBitWeights ? 1 : 0, 0, maxStartAddress, mainMemUsage, outputs, layers);
  }

  /** Whether conv weights are 8-bit (flags bit 0), else 16-bit. */
  public boolean eightBitWeights() {
    return (flags & 1) != 0;
  }
}
