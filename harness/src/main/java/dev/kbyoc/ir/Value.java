package dev.kbyoc.ir;

/** A runtime value: a tensor or a tuple of values. */
public sealed interface Value permits NDArray, TupleValue {

  /** This value as a tensor; fails with a clear message when it is a tuple. */
  default NDArray asTensor() {
    if (this instanceof NDArray a) {
      return a;
    }
    throw new IllegalStateException("expected a tensor value, got a tuple of " + ((TupleValue) this).fields().size());
  }
}
