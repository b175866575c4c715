package dev.kbyoc.op;

import dev.kbyoc.ir.AttrSpec;
import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.OpSchema;
import dev.kbyoc.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The definition of one operator: schema for the IR plus reference kernel and fusion pattern. */
public final class OpDef implements OpSchema {
  private final String name;
  private final List<AttrSpec> attrs;
  private final int numInputs;
  private final TypeRelation relation;
  private final Kernel kernel;
  private final OpPattern pattern;

  private OpDef(Builder b) {
    this.name = Objects.requireNonNull(b.name);
    this.attrs = List.copyOf(b.attrs);
    this.numInputs = b.numInputs;
    this.relation = Objects.requireNonNull(b.relation, () -> "op " + b.name + " has no type relation");
    this.kernel = Objects.requireNonNull(b.kernel, () -> "op " + b.name + " has no kernel");
    this.pattern = Objects.requireNonNull(b.pattern);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The definition registered for an op name. */
  public static OpDef of(String name) {
    return (OpDef) Op.get(name).schema();
  }

  /** The definition behind an {@link Op}. */
  public static OpDef of(Op op) {
    return (OpDef) op.schema();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<AttrSpec> attrs() {
    return attrs;
  }

  @Override
  public int numInputs() {
    return numInputs;
  }

  @Override
  public Type inferType(List<Type> argTypes, Attrs fullAttrs) {
    if (numInputs >= 0 && argTypes.size() != numInputs) {
      throw new KbyocException(name + " expects " + numInputs + " arguments, got " + argTypes.size());
    }
    return relation.infer(argTypes, fullAttrs);
  }

  public Kernel kernel() {
    return kernel;
  }

  public OpPattern pattern() {
    return pattern;
  }

  @Override
  public String toString() {
    return name;
  }

  /** Builds an {@link OpDef}. */
  public static final class Builder {
    private final String name;
    private final List<AttrSpec> attrs = new ArrayList<>();
    private int numInputs = 1;
    private TypeRelation relation;
    private Kernel kernel;
    private OpPattern pattern = OpPattern.OPAQUE;

    private Builder(String name) {
      this.name = name;
    }

    public Builder attr(AttrSpec spec) {
      attrs.add(spec);
      return this;
    }

    public Builder inputs(int n) {
      this.numInputs = n;
      return this;
    }

    public Builder variadic() {
      this.numInputs = -1;
      return this;
    }

    public Builder type(TypeRelation r) {
      this.relation = r;
      return this;
    }

    public Builder kernel(Kernel k) {
      this.kernel = k;
      return this;
    }

    public Builder pattern(OpPattern p) {
      this.pattern = p;
      return this;
    }

    public OpDef build() {
      return new OpDef(this);
    }
  }
}
