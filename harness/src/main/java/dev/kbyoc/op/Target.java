package dev.kbyoc.op;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Op;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An external codegen target for {@code AnnotateTarget}: a name ({@code kendryte}, ...) and, per
 * op name, the predicate TVM would register as the op attribute {@code target.<name>}. Ops
 * without a predicate are not supported. Immutable; build one with {@link #builder} in one place
 * per target, or {@link #ofOps} for an ad-hoc target from an op list.
 */
public final class Target {
  /** The pseudo target of ops no listed target supports. */
  public static final String DEFAULT = "default";

  private final String name;
  private final Map<String, SupportPredicate> predicates;
  private final RegionCheck regionCheck;

  /**
   * Whether the target's codegen can compile a whole partitioned region (a {@code <target>_<n>}
   * function): null when it can, else a one-line reason. A region it cannot compile is put back
   * on the host after PartitionGraph ({@code dev.kbyoc.pass.LegalizeRegions}).
   */
  @FunctionalInterface
  public interface RegionCheck {
    String check(dev.kbyoc.ir.Function region);
  }

  private Target(String name, Map<String, SupportPredicate> predicates, RegionCheck regionCheck) {
    this.name = name;
    this.predicates = Collections.unmodifiableMap(predicates);
    this.regionCheck = regionCheck;
  }

  /** Whether this target checks whole regions (else every region is accepted). */
  public boolean hasRegionCheck() {
    return regionCheck != null;
  }

  /** Null when the codegen of this target can compile {@code region}, else the reason (every region by default). */
  public String checkRegion(dev.kbyoc.ir.Function region) {
    return regionCheck == null ? null : regionCheck.check(region);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * A target supporting every call of exactly the named ops ({@code --supported-ops a,b}). An
   * unknown op name is a user error naming it.
   */
  public static Target ofOps(String name, List<String> ops) {
    Builder b = builder(name);
    for (String op : ops) {
      String o = op.trim();
      if (o.isEmpty()) {
        continue;
      }
      if (!Op.exists(o)) {
        throw new KbyocException("unknown operator [" + o + "] in the supported ops of target " + name);
      }
      b.op(o, SupportPredicate.always());
    }
    return b.build();
  }

  public String name() {
    return name;
  }

  /** Op names with a predicate, in registration order. */
  public java.util.Set<String> ops() {
    return predicates.keySet();
  }

  /** Whether this target may run {@code call}; calls of functions are never supported here. */
  public Support check(Call call) {
    Op op = call.opOrNull();
    if (op == null) {
      return Support.no("not an operator call");
    }
    SupportPredicate p = predicates.get(op.name());
    if (p == null) {
      return Support.no("target " + name + " does not support " + op.name());
    }
    return Objects.requireNonNull(p.check(call), () -> "predicate of " + op.name() + " for " + name + " returned null");
  }

  @Override
  public String toString() {
    return name + predicates.keySet();
  }

  /** Collects the predicates of one target. */
  public static final class Builder {
    private final String name;
    private final Map<String, SupportPredicate> predicates = new LinkedHashMap<>();
    private RegionCheck regionCheck;

    private Builder(String name) {
      if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new KbyocException("bad target name [" + name + "]: use letters, digits and _");
      }
      if (name.equals(DEFAULT)) {
        throw new KbyocException("[default] is reserved for ops no target supports");
      }
      this.name = name;
    }

    /** Registers the predicate for an op; registering an op twice is a bug. */
    public Builder op(String opName, SupportPredicate predicate) {
      if (predicates.put(opName, Objects.requireNonNull(predicate)) != null) {
        throw new IllegalStateException("target " + name + " registers " + opName + " twice");
      }
      return this;
    }

    /** Sets the whole-region legality check (see {@link Target#checkRegion}). */
    public Builder regionCheck(RegionCheck check) {
      this.regionCheck = Objects.requireNonNull(check);
      return this;
    }

    public Target build() {
      return new Target(name, new LinkedHashMap<>(predicates), regionCheck);
    }
  }
}
