package dev.kbyoc.runtime;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Op;
import dev.kbyoc.op.Kernel;
import dev.kbyoc.op.OpDef;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host kernels the graph runtime calls, registered by op name. An op without an explicitly
 * registered host kernel runs its reference kernel from {@code dev.kbyoc.op}; optimised Java
 * kernels register themselves here under the op's name and are then used by every host and
 * subgraph module. The fast kernels of {@code runtime.kernels} are registered at start-up unless
 * {@code -Dkbyoc.hostKernels=reference} asks for the reference kernels only (for comparisons).
 */
public final class HostKernels {
  private static final Map<String, Kernel> REGISTERED = new ConcurrentHashMap<>();
  private static final boolean FAST = !"reference".equals(System.getProperty("kbyoc.hostKernels"));

  static {
    if (FAST) {
      REGISTERED.putAll(dev.kbyoc.runtime.kernels.FastKernels.all());
    }
  }

  private HostKernels() {}

  /**
   * Whether the fast kernels are on (not {@code -Dkbyoc.hostKernels=reference}); only then does the
   * graph runtime compile host functions to {@link FloatProgram}s.
   */
  public static boolean fastEnabled() {
    return FAST;
  }

  /** Whether {@code opName} runs a registered (optimised) kernel rather than its reference kernel. */
  public static boolean isRegistered(String opName) {
    return REGISTERED.containsKey(opName);
  }

  /** Registers (or replaces) the host kernel of an op. */
  public static void register(String opName, Kernel kernel) {
    if (!Op.exists(opName)) {
      throw new IllegalArgumentException("no operator named " + opName);
    }
    REGISTERED.put(opName, kernel);
  }

  /** The host kernel of an op: the registered one, else the op's reference kernel. */
  public static Kernel get(String opName) {
    Kernel k = REGISTERED.get(opName);
    if (k != null) {
      return k;
    }
    if (!Op.exists(opName)) {
      throw new KbyocException("no host kernel for operator [" + opName + "]");
    }
    return OpDef.of(opName).kernel();
  }
}
