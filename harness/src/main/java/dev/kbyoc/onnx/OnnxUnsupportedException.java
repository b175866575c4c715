package dev.kbyoc.onnx;

import dev.kbyoc.ir.KbyocException;

/**
 * A well-formed ONNX model that uses something kbyoc does not import (an op type, an attribute
 * value, a dtype, a tensor that must be static but is a graph input). Distinct from a malformed
 * model so the conformance suite can count it as "unsupported" rather than "failed"; the CLI
 * treats both as user errors (exit 2).
 */
public final class OnnxUnsupportedException extends KbyocException {
  private static final long serialVersionUID = 1L;

  private final String staticInput;

  public OnnxUnsupportedException(String message) {
    this(message, null);
  }

  /** An error caused by graph input {@code staticInput}, whose value an op needs at import time. */
  OnnxUnsupportedException(String message, String staticInput) {
    super(message);
    this.staticInput = staticInput;
  }

  /** The tensor whose value was needed at import time, or null when the cause is something else. */
  public String staticInput() {
    return staticInput;
  }
}
