package dev.kbyoc.runtime.kernels;

/**
 * Whether the float kernels use the Vector API ({@code jdk.incubator.vector}): only when the
 * module is in the boot layer ({@code --add-modules jdk.incubator.vector}, as the launcher and the
 * test forks pass it) and {@code -Dkbyoc.vector=false} does not turn it off. Without it the same
 * algorithms run as plain loops ({@link ScalarGemm}), so {@code java -jar kbyoc.jar} works too,
 * only slower. Classes that name vector types are loaded only when this is true.
 */
public final class Simd {
  private static final boolean ENABLED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
      && !"false".equals(System.getProperty("kbyoc.vector"));

  private Simd() {}

  /** True when the Vector API kernels run. */
  public static boolean enabled() {
    return ENABLED;
  }
}
