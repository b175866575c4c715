package dev.kbyoc.ir;

import java.util.List;

/** A tuple of expressions. */
public final class Tuple extends Expr {
  private final List<Expr> fields;

  public Tuple(List<? extends Expr> fields, Span span) {
    super(span);
    this.fields = List.copyOf(fields);
  }

  public Tuple(List<? extends Expr> fields) {
    this(fields, Span.NONE);
  }

  public List<Expr> fields() {
    return fields;
  }

  @Override
  public String describe() {
    return span().describe("tuple");
  }

  @Override
  public String toString() {
    return describe() + "(" + fields.size() + " fields)";
  }
}
