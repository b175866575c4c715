package dev.kbyoc.onnx;

import dev.kbyoc.ir.Expr;
import java.util.List;

/**
 * Converts the current node of an {@link ImportContext} into Relay expressions, one per ONNX
 * output it supports (in output order). Unsupported attribute values throw
 * {@link OnnxUnsupportedException} through {@link ImportContext#unsupported}.
 */
@FunctionalInterface
interface Converter {
  List<Expr> convert(ImportContext cx);

  /** A converter with a single output. */
  static Converter single(java.util.function.Function<ImportContext, Expr> f) {
    return cx -> List.of(f.apply(cx));
  }
}
