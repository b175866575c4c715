package dev.kbyoc.ir;

/** A constant tensor, e.g. a weight bound by {@code bind_params_by_name}. */
public final class Constant extends Expr {
  private final NDArray data;

  public Constant(NDArray data, Span span) {
    super(span);
    this.data = data;
  }

  public Constant(NDArray data) {
    this(data, Span.NONE);
  }

  public NDArray data() {
    return data;
  }

  @Override
  public String describe() {
    return "constant" + data.type() + "@" + span().lineCol();
  }

  @Override
  public String toString() {
    return "const" + data.type();
  }
}
