package dev.kbyoc.op;

/** TVM's {@code TOpPattern}: how an op may be fused (lower values fuse more freely). */
public enum OpPattern {
  ELEMWISE(0),
  BROADCAST(1),
  INJECTIVE(2),
  COMM_REDUCE(3),
  OUT_ELEMWISE_FUSABLE(4),
  TUPLE(7),
  OPAQUE(8);

  private final int tvmValue;

  OpPattern(int tvmValue) {
    this.tvmValue = tvmValue;
  }

  /** The integer TVM uses for this pattern. */
  public int tvmValue() {
    return tvmValue;
  }
}
