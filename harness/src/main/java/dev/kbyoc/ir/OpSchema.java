package dev.kbyoc.ir;

import java.util.List;

/**
 * What the IR needs to know about an operator: its attributes and its type relation. The
 * operator registry ({@code dev.kbyoc.op}) implements it and adds kernels and fusion patterns;
 * it is found through {@link OpLibrary} so that the IR depends on nothing.
 */
public interface OpSchema {
  /** The op's name as Relay prints it, e.g. {@code nn.conv2d}. */
  String name();

  /** Declared attributes in Relay's print order. */
  List<AttrSpec> attrs();

  /** Number of inputs, or -1 when variadic. */
  int numInputs();

  /**
   * The output type for these argument types and (full, defaulted) attributes. Throws a
   * {@link KbyocException} describing the mismatch; the caller adds the node's name.
   */
  Type inferType(List<Type> argTypes, Attrs attrs);
}
