package dev.kbyoc.kendryte.sim;

/**
 * Whether the uint8 KPU convolution uses the Vector API ({@code jdk.incubator.vector}, {@link
 * KpuConvVectorUnit}): only when the module is in the boot layer ({@code --add-modules
 * jdk.incubator.vector}, as the launcher and the test forks pass it) and {@code
 * -Dkbyoc.vector=false} does not turn it off, the same switch as the graph runtime's kernels.
 * Without it the scalar {@link KpuConvUnit} runs, which computes the same bytes. The vector class
 * is loaded only when this is true.
 */
final class KpuVectors {
  private static final boolean ENABLED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
      && !"false".equals(System.getProperty("kbyoc.vector"));

  private KpuVectors() {}

  /** True when the uint8 convolution runs on the Vector API. */
  static boolean enabled() {
    return ENABLED;
  }
}
