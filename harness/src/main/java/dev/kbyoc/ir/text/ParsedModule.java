package dev.kbyoc.ir.text;

import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Type;
import java.util.List;

/**
 * A parsed, not yet type-checked module with the {@code /* ty=... *}{@code /} annotations found
 * in the text. After type inference, {@link #checkAnnotations} compares each annotation with the
 * inferred type of the node it follows.
 *
 * @param file the source name used in messages
 * @param module the parsed module
 * @param annotations every type annotation, in source order
 */
public record ParsedModule(String file, IRModule module, List<Annotation> annotations) {
  public ParsedModule {
    annotations = List.copyOf(annotations);
  }

  /** A {@code /* ty=T *}{@code /} annotation on {@code expr} at {@code line:col} of the type text. */
  public record Annotation(Expr expr, Type type, int line, int col) {}

  /**
   * Checks every annotation against the node's inferred type (run type inference first). Nodes
   * that were never typed are dead bindings (not reachable from their function) and are skipped,
   * as TVM drops them too. A mismatch is a {@link KbyocException} {@code file:line:col: ...}.
   */
  public void checkAnnotations() {
    for (Annotation a : annotations) {
      Type actual = a.expr().checkedType();
      if (actual != null && !actual.equals(a.type())) {
        throw Lexer.error(file, a.line(), a.col(), "type annotation " + TextFormat.type(a.type())
            + " does not match the inferred type " + TextFormat.type(actual) + " of " + a.expr().describe());
      }
    }
  }
}
