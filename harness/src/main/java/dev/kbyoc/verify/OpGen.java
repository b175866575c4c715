package dev.kbyoc.verify;

/**
 * Makes one call of one op on operands drawn from a {@link GraphBuilder}, with shapes and
 * attributes solved so that the call is well-typed (never rejection-sampled over random attrs).
 */
interface OpGen {
  /** The op this generator calls. */
  String op();

  /** Adds one call to the builder; false when the op is not registered or rejected the operands. */
  boolean build(GraphBuilder b);
}
