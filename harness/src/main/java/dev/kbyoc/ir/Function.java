package dev.kbyoc.ir;

import java.util.List;

/**
 * A function: parameters, body, optional return type and attributes such as {@code Compiler},
 * {@code global_symbol}, {@code Primitive} and {@code Inline}.
 */
public final class Function extends Expr {
  public static final String ATTR_COMPILER = "Compiler";
  public static final String ATTR_GLOBAL_SYMBOL = "global_symbol";
  public static final String ATTR_PRIMITIVE = "Primitive";
  public static final String ATTR_INLINE = "Inline";

  private final List<Var> params;
  private final Expr body;
  private final Type retType;
  private final Attrs attrs;

  public Function(List<Var> params, Expr body, Type retType, Attrs attrs, Span span) {
    super(span);
    this.params = List.copyOf(params);
    this.body = body;
    this.retType = retType;
    this.attrs = attrs == null ? Attrs.empty() : attrs;
  }

  public Function(List<Var> params, Expr body) {
    this(params, body, null, Attrs.empty(), Span.NONE);
  }

  public List<Var> params() {
    return params;
  }

  public Expr body() {
    return body;
  }

  /** The declared return type, or null. */
  public Type retType() {
    return retType;
  }

  public Attrs attrs() {
    return attrs;
  }

  /** The {@code Compiler} attribute, or null for host functions. */
  public String compiler() {
    Object c = attrs.get(ATTR_COMPILER);
    return c == null ? null : c.toString();
  }

  public boolean isPrimitive() {
    return attrs.has(ATTR_PRIMITIVE) && attrs.getLong(ATTR_PRIMITIVE) != 0;
  }

  /** The same function with other attributes. */
  public Function withAttrs(Attrs newAttrs) {
    return new Function(params, body, retType, newAttrs, span());
  }

  @Override
  public String describe() {
    Object sym = attrs.get(ATTR_GLOBAL_SYMBOL);
    return sym != null ? "@" + sym : span().describe("fn");
  }

  @Override
  public String toString() {
    return "fn" + params;
  }
}
