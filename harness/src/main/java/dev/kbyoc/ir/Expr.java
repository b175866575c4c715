package dev.kbyoc.ir;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An immutable Relay expression. Identity matters: a node referenced twice is one value computed
 * once (the IR is a DAG). The checked type is filled once by type inference; nodes rebuilt by a
 * mutator start untyped.
 */
public abstract sealed class Expr permits Var, Constant, Call, Tuple, TupleGetItem, Function, GlobalVar, Op {
  private static final AtomicInteger CREATED = new AtomicInteger();

  private final Span span;
  private final int hash = CREATED.getAndIncrement();
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

  /**
   * A hash fixed at construction: the node's creation number (wrapping after 2^32 nodes; only a
   * hash, equality stays identity). Unlike {@link System#identityHashCode} it is a plain field,
   * which {@link ExprMap} and {@link ExprSet} keep next to the reference so that resizing never
   * reads the nodes, and nodes made one after the other get neighbouring table slots.
   */
  @Override
  public final int hashCode() {
    return hash;
  }

}
