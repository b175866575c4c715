package dev.kbyoc.kendryte.format;

import java.util.List;

/**
 * A parsed kmodel v3: the {@code kpu_kmodel_header_t} fields (version 3, flags with bit 0 = 8-bit
 * weights, arch 0, max_start_address, main_mem_usage), the output table and the layers. The
 * header's layers_length and output_count are the list sizes.
 *
 * <p>Flags bit 1 ({@link #FLAG_FLOAT}) marks kbyoc's float variant: K210_CONV weights are float32
 * (4 bytes per weight, the Relay constant's bytes), batchnorm and activation use the tables of
 * {@link FloatKpuTables}, and uint8 tensors hold unclamped float values. Bit 1 cannot be set
 * together with bit 0. The K210 SDK's loader does not look at bit 1, so a board would read the
 * float bytes as 16-bit weights and produce garbage: these files are for the simulator only.
 */
public record Kmodel(long version, long flags, long arch, long maxStartAddress, long mainMemUsage,
    List<KmodelOutput> outputs, List<KLayer> layers) {
  /** The only version this format handles. */
  public static final int VERSION = 3;
  /** Byte size of {@code kpu_kmodel_header_t}. */
  public static final int HEADER_BYTES = 28;
  /** Header flags bit 0: conv weights are 8-bit (else 16-bit). */
  public static final long FLAG_8BIT = 1;
  /** Header flags bit 1 (kbyoc only): the float variant, conv weights and tables in float32. */
  public static final long FLAG_FLOAT = 2;

  public Kmodel {
    outputs = List.copyOf(outputs);
    layers = List.copyOf(layers);
  }

  /** A v3, arch 0 kmodel. */
  public static Kmodel of(boolean eightBitWeights, long maxStartAddress, long mainMemUsage,
      List<KmodelOutput> outputs, List<KLayer> layers) {
    return new Kmodel(VERSION, eightBitWeights ? FLAG_8BIT : 0, 0, maxStartAddress, mainMemUsage, outputs, layers);
  }

  /** A v3, arch 0 kmodel in kbyoc's float variant ({@link #FLAG_FLOAT}). */
  public static Kmodel ofFloat(long maxStartAddress, long mainMemUsage, List<KmodelOutput> outputs,
      List<KLayer> layers) {
    return new Kmodel(VERSION, FLAG_FLOAT, 0, maxStartAddress, mainMemUsage, outputs, layers);
  }

  /** Whether conv weights are 8-bit (flags bit 0), else 16-bit. */
  public boolean eightBitWeights() {
    return (flags & FLAG_8BIT) != 0;
  }

  /** Whether this is kbyoc's float variant (flags bit 1). */
  public boolean floatWeights() {
    return (flags & FLAG_FLOAT) != 0;
  }

  /** Bytes per stored conv weight: 4 (float variant), 1 (8-bit) or 2. */
  public int weightBytes() {
    return floatWeights() ? 4 : eightBitWeights() ? 1 : 2;
  }
}
