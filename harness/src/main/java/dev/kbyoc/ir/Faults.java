package dev.kbyoc.ir;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The fault-injection switchboard: deliberate compiler bugs that the verification harness turns
 * on ({@code kbyoc fuzz --inject FAULT}) to prove that each oracle can fail. Everything is off
 * unless asked; a pass consults its fault with a one-line {@code if (Faults.on(Fault.X))} at the
 * point where the bug would be. Lives in {@code ir} so every layer can consult it without
 * depending on {@code verify}.
 */
public final class Faults {
  /** The injectable faults, by their command-line names. */
  public enum Fault {
    /** Kendryte keeps the default constant updater: every kmodel weight also lands in the params. */
    DEFAULT_CONSTANT_UPDATER,
    /** MergeCompilerRegions merges regions even when that creates a cycle. */
    MERGE_IGNORES_RESTRICTIONS,
    /** PartitionGraph drops one output of a multi-output region. */
    PARTITION_DROPS_OUTPUT,
    /** The uint8 simulator rounds one LSB differently. */
    SIM_ROUNDING,
    /** Host fusion swaps the two operands of a non-commutative op. */
    FUSE_WRONG_ORDER;

    /** The command-line name, e.g. {@code merge-ignores-restrictions}. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The fault with a command-line name; a {@link KbyocException} listing the names otherwise. */
    public static Fault parse(String name) {
      for (Fault f : values()) {
        if (f.cliName().equals(name.trim())) {
          return f;
        }
      }
      StringBuilder known = new StringBuilder();
      for (Fault f : values()) {
        known.append(known.length() == 0 ? "" : ", ").append(f.cliName());
      }
      throw new KbyocException("unknown fault [" + name + "]; known: " + known);
    }
  }

  private static volatile Set<Fault> active = EnumSet.noneOf(Fault.class);

  private Faults() {}

  /** Whether a fault is switched on. */
  public static boolean on(Fault f) {
    return active.contains(f);
  }

  /** The faults switched on now. */
  public static Set<Fault> active() {
    return EnumSet.copyOf(active.isEmpty() ? EnumSet.noneOf(Fault.class) : active);
  }

  /**
   * Switches on exactly the given faults until the returned handle is closed, which restores the
   * previous set. Global: a campaign injects one fault set for all its cases.
   */
  public static Scope inject(Set<Fault> faults) {
    Set<Fault> previous = active;
    active = faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(faults);
    return () -> active = previous;
  }

  /**
   * The field of a multi-output region function that PartitionGraph hands to consumers of output
   * {@code i}: {@code i}, except under {@link Fault#PARTITION_DROPS_OUTPUT}, where the last output
   * is lost and its consumers get an earlier output of the same type instead (when there is one).
   */
  public static int partitionOutputIndex(java.util.List<? extends Expr> outputs, int i) {
    if (!on(Fault.PARTITION_DROPS_OUTPUT) || i != outputs.size() - 1) {
      return i;
    }
    Type t = outputs.get(i).checkedType();
    for (int j = 0; j < i; j++) {
      if (t != null && t.equals(outputs.get(j).checkedType())) {
        return j;
      }
    }
    return i;
  }

  /**
   * What the K210 simulator's rounding shift adds to its result: 0, or 1 under
   * {@link Fault#SIM_ROUNDING} (every rounded uint8 value comes out one LSB too high).
   */
  public static long simRoundingDelta() {
    return on(Fault.SIM_ROUNDING) ? 1 : 0;
  }

  /**
   * The arguments host fusion gives a fused call of {@code op}: {@code args} as they are, except
   * under {@link Fault#FUSE_WRONG_ORDER}, where the two operands of a non-commutative binary op
   * ({@code subtract}, {@code divide}) are swapped.
   */
  public static <T> java.util.List<T> fusedArgs(Expr op, java.util.List<T> args) {
    if (!on(Fault.FUSE_WRONG_ORDER) || args.size() != 2 || !(op instanceof Op o)
        || !(o.name().equals("subtract") || o.name().equals("divide"))) {
      return args;
    }
    return java.util.List.of(args.get(1), args.get(0));
  }

  /** Restores the previous fault set on close. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
