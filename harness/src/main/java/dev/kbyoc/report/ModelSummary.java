package dev.kbyoc.report;

import java.util.List;
import java.util.Objects;

/**
 * Everything the summary page shows about one model, as plain data: the partition picture
 * (Graphviz source), package sizes per build variant, simulator-vs-host accuracy per layer and KPU
 * RAM use per layer. Any list may be empty and {@code partitionDot} may be null; the page then says
 * that part is not available.
 *
 * @param model the model's name (a golden model's file name, for example)
 * @param partitionDot Graphviz source of the partitioned graph, or null
 * @param sizes one row per build variant (with / without the constant updater, host only)
 * @param accuracy one row per layer, in execution order
 * @param kpuRam one row per KPU layer, in execution order
 * @param kpuRamCapacity bytes of KPU RAM (2 MiB on the K210)
 * @param notes what could not be measured and why (a function the codegen rejected, say)
 */
public record ModelSummary(
    String model,
    String partitionDot,
    List<PackageSize> sizes,
    List<LayerAccuracy> accuracy,
    List<LayerMemory> kpuRam,
    long kpuRamCapacity,
    List<String> notes) {

  /** KPU RAM of the K210: 2 MiB. */
  public static final long K210_KPU_RAM = 2L * 1024 * 1024;

  public ModelSummary {
    Objects.requireNonNull(model, "model");
    sizes = List.copyOf(sizes);
    accuracy = List.copyOf(accuracy);
    kpuRam = List.copyOf(kpuRam);
    notes = notes == null ? List.of() : List.copyOf(notes);
    if (kpuRamCapacity <= 0) {
      throw new IllegalArgumentException("kpuRamCapacity [" + kpuRamCapacity + "] must be > 0 for [" + model + "]");
    }
  }

  /** A summary without notes. */
  public ModelSummary(String model, String partitionDot, List<PackageSize> sizes, List<LayerAccuracy> accuracy,
      List<LayerMemory> kpuRam, long kpuRamCapacity) {
    this(model, partitionDot, sizes, accuracy, kpuRam, kpuRamCapacity, List.of());
  }

  /**
   * Size of one exported package.
   *
   * @param variant how it was built, e.g. "kendryte, registered constant updater"
   * @param uniqueConstantBytes bytes of distinct constant data (by content) the model needs
   * @param packageBytes size of the exported package file
   */
  public record PackageSize(String variant, long uniqueConstantBytes, long packageBytes) {
    public PackageSize {
      Objects.requireNonNull(variant, "variant");
      if (uniqueConstantBytes < 0 || packageBytes < 0) {
        throw new IllegalArgumentException("negative size in [" + variant + "]");
      }
    }

    /** Package bytes per unique constant byte (about 1 when nothing is duplicated); NaN without constants. */
    public double ratio() {
      return uniqueConstantBytes == 0 ? Double.NaN : (double) packageBytes / uniqueConstantBytes;
    }
  }

  /**
   * Simulator-vs-host agreement at one layer's output.
   *
   * @param layer layer name (kmodel layer or Relay binding)
   * @param cosine cosine similarity of the two outputs, in [-1, 1]
   * @param maxLsbError largest difference in units of the output's quantization step (0 for float)
   */
  public record LayerAccuracy(String layer, double cosine, long maxLsbError) {
    public LayerAccuracy {
      Objects.requireNonNull(layer, "layer");
      if (!(cosine >= -1.000001 && cosine <= 1.000001)) {
        throw new IllegalArgumentException("cosine [" + cosine + "] of [" + layer + "] outside [-1, 1]");
      }
      if (maxLsbError < 0) {
        throw new IllegalArgumentException("maxLsbError [" + maxLsbError + "] of [" + layer + "] < 0");
      }
    }
  }

  /**
   * KPU RAM live while one layer runs.
   *
   * @param layer layer name
   * @param usedBytes bytes of KPU RAM in use (inputs, outputs and scratch of live tensors)
   */
  public record LayerMemory(String layer, long usedBytes) {
    public LayerMemory {
      Objects.requireNonNull(layer, "layer");
      if (usedBytes < 0) {
        throw new IllegalArgumentException("usedBytes [" + usedBytes + "] of [" + layer + "] < 0");
      }
    }
  }
}
