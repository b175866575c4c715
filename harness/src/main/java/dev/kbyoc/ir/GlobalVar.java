package dev.kbyoc.ir;

/** A reference to a global function of the module, e.g. {@code @kendryte_0}. Compared by name. */
public final class GlobalVar extends Expr {
  private final String name;

  public GlobalVar(String name, Span span) {
    super(span);
    this.name = name;
  }

  public GlobalVar(String name) {
    this(name, Span.NONE);
  }

  public String name() {
    return name;
  }

  @Override
  public String describe() {
    return "@" + name;
  }

  @Override
  public String toString() {
    return "@" + name;
  }
}
