package dev.kbyoc.ir;

import java.util.List;

/**
 * A call of an operator ({@link Op}), a global function ({@link GlobalVar}) or a function literal
 * ({@link Function}, e.g. a fused primitive function). Calls of ops hold normalised attributes
 * (only non-default values; see {@link Attrs#normalize}).
 */
public final class Call extends Expr {
  private final Expr op;
  private final List<Expr> args;
  private final Attrs attrs;

  public Call(Expr op, List<? extends Expr> args, Attrs attrs, Span span) {
    super(span);
    if (!(op instanceof Op || op instanceof GlobalVar || op instanceof Function)) {
      throw new IllegalArgumentException("cannot call " + op);
    }
    this.op = op;
    this.args = List.copyOf(args);
    Attrs a = attrs == null ? Attrs.empty() : attrs;
    this.attrs = op instanceof Op o ? a.normalizeFor(o, span()) : a;
  }

  public Call(Expr op, List<? extends Expr> args, Attrs attrs) {
    this(op, args, attrs, Span.NONE);
  }

  /** Calls the registered op {@code opName}. */
  public static Call op(String opName, List<? extends Expr> args, Attrs attrs) {
    return new Call(Op.get(opName), args, attrs, Span.NONE);
  }

  /** Calls the registered op {@code opName} with no attributes. */
  public static Call op(String opName, Expr... args) {
    return new Call(Op.get(opName), List.of(args), Attrs.empty(), Span.NONE);
  }

  public Expr op() {
    return op;
  }

  /** The called op, or null when this calls a function. */
  public Op opOrNull() {
    return op instanceof Op o ? o : null;
  }

  /** True when this calls the registered op named {@code name}. */
  public boolean isOp(String name) {
    return op instanceof Op o && o.name().equals(name);
  }

  public List<Expr> args() {
    return args;
  }

  public Expr arg(int i) {
    return args.get(i);
  }

  /** The attributes as written (non-default only for op calls). */
  public Attrs attrs() {
    return attrs;
  }

  /** Every declared attribute, explicit or default (op calls); the attributes as written otherwise. */
  public Attrs fullAttrs() {
    return op instanceof Op o ? attrs.withDefaults(o.schema().attrs()) : attrs;
  }

  /** The same callee and attributes with other arguments (the span is kept). */
  public Call withArgs(List<? extends Expr> newArgs) {
    return new Call(op, newArgs, attrs, span());
  }

  @Override
  public String describe() {
    String what = op instanceof Op o ? o.name() : op instanceof GlobalVar g ? "@" + g.name() : "call";
    return span().describe(what);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(describe()).append('(');
    for (int i = 0; i < args.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(args.get(i).describe());
    }
    return sb.append(')').toString();
  }
}
