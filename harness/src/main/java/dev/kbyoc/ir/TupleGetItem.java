package dev.kbyoc.ir;

/** Projection of one field of a tuple: {@code %t.1}. */
public final class TupleGetItem extends Expr {
  private final Expr tuple;
  private final int index;

  public TupleGetItem(Expr tuple, int index, Span span) {
    super(span);
    if (index < 0) {
      throw new KbyocException("negative tuple index " + index + " at " + span);
    }
    this.tuple = tuple;
    this.index = index;
  }

  public TupleGetItem(Expr tuple, int index) {
    this(tuple, index, Span.NONE);
  }

  public Expr tuple() {
    return tuple;
  }

  public int index() {
    return index;
  }

  @Override
  public String describe() {
    return span().describe("getitem");
  }

  @Override
  public String toString() {
    return tuple.describe() + "." + index;
  }
}
