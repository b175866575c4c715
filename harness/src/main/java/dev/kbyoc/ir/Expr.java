package dev.kbyoc.ir;

/**
 * An immutable Relay expression. Identity matters: a node referenced twice is one value computed
 * once (the IR is a DAG). The checked type is filled once by type inference; nodes rebuilt by a
 * mutator start untyped.
 */
public abstract sealed class Expr permits Var, Constant, Call, Tuple, TupleGetItem, Function, GlobalVar, Op {
  private final Span span;
  private volatile Type checkedType;

  protected Expr(Span span) {
    this.span = span == null ? Span.NONE : span;
  }

  public Span span() {
    return span;
  }

  /** The type inferred for this node, or null before type inference. */
  public Type checkedType() {
    return checkedType;
  }

  /** The inferred tensor type; fails when untyped or a tuple. */
  public TensorType tensorType() {
    Type t = checkedType;
    if (t instanceof TensorType tt) {
      return tt;
    }
    throw new IllegalStateException("expression has no tensor type (" + t + "): " + this);
  }

  /**
   * Records the inferred type. A node's type is a function of its structure, so setting it again
   * to a different type means two inference runs disagree: a bug.
   */
  public void setCheckedType(Type type) {
    Type old = checkedType;
    if (old != null && !old.equals(type)) {
      throw new IllegalStateException("type of " + this + " changed from " + old + " to " + type);
    }
    checkedType = type;
  }

  /** A short description for messages: the source name, else a kind and location. */
  public abstract String describe();

  @Override
  public final boolean equals(Object o) {
    return this == o;
  }

  @Override
  public final int hashCode() {
    return System.identityHashCode(this);
  }
}
