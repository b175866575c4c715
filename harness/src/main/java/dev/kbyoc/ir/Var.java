package dev.kbyoc.ir;

/** A variable: a function parameter. Identity is by object, the name is a hint for printing. */
public final class Var extends Expr {
  private final String name;
  private final Type typeAnnotation;

  public Var(String name, Type typeAnnotation, Span span) {
    super(span);
    this.name = name;
    this.typeAnnotation = typeAnnotation;
  }

  public Var(String name, Type typeAnnotation) {
    this(name, typeAnnotation, Span.NONE);
  }

  public String name() {
    return name;
  }

  /** The declared type, or null when not annotated. */
  public Type typeAnnotation() {
    return typeAnnotation;
  }

  @Override
  public String describe() {
    return "%" + name;
  }

  @Override
  public String toString() {
    return "%" + name;
  }
}
