package dev.kbyoc.ir;

/** A Relay type: a tensor type, a tuple type or a function type. */
public sealed interface Type permits TensorType, TupleType, FuncType {

  /** The Relay text of this type, e.g. {@code Tensor[(1, 3), float32]}. */
  String toRelay();
}
