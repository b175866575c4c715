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
 * {@link MetaConstants}) or comes from a trailing {@code #[metadata]} section as
 * {@code astext(show_meta_data=True)} writes it. Op attributes are coerced through the op's
 * attribute specs.
 *
 * <p>Every call, tuple and projection keeps a {@link dev.kbyoc.ir.Span} with file, line and
 * column of its first token and, for the outermost node of a binding, the name {@code %n}.
 * Errors are {@link KbyocException}s with one line {@code file:line:col: message}.
 *
 * <p>Differences from TVM, all in the direction of rejecting what kbyoc cannot represent:
 * {@code let}, {@code if}, {@code match}, references, ADTs, dynamic shapes and meta references
 * other than {@code relay.Constant} are errors; a graph binding cannot be redefined; calls of unknown
 * globals are errors at parse time. TVM v0.9's integer width suffixes ({@code i64}, {@code i8})
 * are accepted.
 */
public final class RelayParser {
  private RelayParser() {}

  /**
   * Parses without type checking; call {@link ParsedModule#checkAnnotations} after inference.
   * A trailing {@code #[metadata]} section (what {@code astext()} prints by default) supplies the
   * meta constants when {@code metaConstants} is empty; giving both is an error.
   */
  public static ParsedModule parseUntyped(String file, String text, List<NDArray> metaConstants) {
    int at = metadataStart(text);
    if (at >= 0) {
      int line = 1;
      for (int i = 0; i < at; i++) {
        line += text.charAt(i) == '\n' ? 1 : 0;
      }
      String where = file + ":" + line + ":1: #[metadata]";
      if (!metaConstants.isEmpty()) {
        throw new KbyocException(where + " and a sidecar params file both supply meta constants; keep one");
      }
      metaConstants = TvmMetadata.constants(text.substring(at + METADATA.length()), where);
      text = text.substring(0, at);
    }
    return new ModuleParser(file, text, metaConstants).parseModule();
  }

  private static final String METADATA = "#[metadata]";

  /** Offset of a {@code #[metadata]} line (TVM puts it last, running to the end of the file), or -1. */
  private static int metadataStart(String text) {
    int at = text.lastIndexOf(METADATA);
    while (at >= 0) {
      if (at == 0 || text.charAt(at - 1) == '\n') {
        return at;
      }
      at = text.lastIndexOf(METADATA, at - 1);
    }
    return -1;
  }

  /**
   * Parses, types the module with {@code typer} (pass {@code InferType::run}) and checks every
   * {@code /* ty=... *}{@code /} annotation against the inferred types. Type errors are prefixed
   * with {@code file:line:col:} of the node they name (just {@code file:} when it cannot be found).
   */
  public static IRModule parse(String file, String text, List<NDArray> metaConstants, UnaryOperator<IRModule> typer) {
    ParsedModule parsed = parseUntyped(file, text, metaConstants);
    IRModule typed;
    try {
      typed = typer.apply(parsed.module());
    } catch (KbyocException e) {
      String at = parsed.locate(e.getMessage());
      throw new KbyocException(file + ":" + (at == null ? "" : at + ":") + " " + e.getMessage(), e);
    }
    parsed.checkAnnotations();
    return typed;
  }
}
