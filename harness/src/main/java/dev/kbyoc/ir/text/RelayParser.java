package dev.kbyoc.ir.text;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Parses TVM's Relay text format, version 0.0.5, as TVM v0.8's {@code astext()} prints it (the
 * grammar of src/parser/parser.cc for kbyoc's IR): {@code #[version = "0.0.5"]}, {@code def @f(...)
 * -> T { ... }} with function attributes, {@code %n = e;} graph bindings, calls with attributes,
 * scalar literals ({@code 1f}, {@code 0.5f}, {@code 3}, {@code -2i64}, {@code True}), tuples,
 * {@code %t.0} projections, nested {@code fn} literals, calls of globals, comments, and
 * {@code meta[relay.Constant][i]} whose data is the i-th entry of the sidecar list (see
 * {@link MetaConstants}). Op attributes are coerced through the op's attribute specs.
 *
 * <p>Every call, tuple and projection keeps a {@link dev.kbyoc.ir.Span} with file, line and
 * column of its first token and, for the outermost node of a binding, the name {@code %n}.
 * Errors are {@link KbyocException}s with one line {@code file:line:col: message}.
 *
 * <p>Differences from TVM, all in the direction of rejecting what kbyoc cannot represent:
 * {@code let}, {@code if}, {@code match}, references, ADTs, dynamic shapes and a
 * {@code #[metadata]} section are errors; a graph binding cannot be redefined; calls of unknown
 * globals are errors at parse time. TVM v0.9's integer width suffixes ({@code i64}, {@code i8})
 * are accepted.
 */
public final class RelayParser {
  private RelayParser() {}

  /** Parses without type checking; call {@link ParsedModule#checkAnnotations} after inference. */
  public static ParsedModule parseUntyped(String file, String text, List<NDArray> metaConstants) {
    return new ModuleParser(file, text, metaConstants).parseModule();
  }

  /**
   * Parses, types the module with {@code typer} (pass {@code InferType::run}) and checks every
   * {@code /* ty=... *}{@code /} annotation against the inferred types. Type errors are prefixed
   * with the file name.
   */
  public static IRModule parse(String file, String text, List<NDArray> metaConstants, UnaryOperator<IRModule> typer) {
    ParsedModule parsed = parseUntyped(file, text, metaConstants);
    IRModule typed;
    try {
      typed = typer.apply(parsed.module());
    } catch (KbyocException e) {
      throw new KbyocException(file + ": " + e.getMessage(), e);
    }
    parsed.checkAnnotations();
    return typed;
  }
}
