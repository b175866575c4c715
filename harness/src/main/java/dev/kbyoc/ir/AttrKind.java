package dev.kbyoc.ir;

/** The kind of an attribute value as stored in {@link Attrs}. */
public enum AttrKind {
  /** Stored as {@link Long}. */
  INT,
  /** Stored as {@link Double}. */
  FLOAT,
  /** Stored as {@link String}. */
  STRING,
  /** Stored as {@link Boolean}. */
  BOOL,
  /** Stored as an unmodifiable {@code List<Long>}. */
  INTS,
  /** Stored as an unmodifiable {@code List<Double>}. */
  FLOATS,
  /**
   * Stored as an unmodifiable {@code List<List<Long>>}: Relay's {@code Array<Array<Integer>>},
   * e.g. {@code nn.pad}'s {@code pad_width=[[0, 0], [1, 1]]}.
   */
  INTS_LIST
}
