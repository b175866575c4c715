package dev.kbyoc.ir.text;

import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Type;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed, not yet type-checked module with the {@code /* ty=... *}{@code /} annotations found
 * in the text. After type inference, {@link #checkAnnotations} compares each annotation with the
 * inferred type of the node it follows.
 *
 * @param file the source name used in messages
 * @param module the parsed module
 * @param annotations every type annotation, in source order
 * @param bindings {@code line:col} of each graph binding {@code %n} bound exactly once in the module
 */
public record ParsedModule(String file, IRModule module, List<Annotation> annotations, Map<String, String> bindings) {
  public ParsedModule {
    annotations = List.copyOf(annotations);
    bindings = Map.copyOf(bindings);
  }

  /**
   * The {@code line:col} where a node named in a message was written: a binding {@code %n} bound
   * once in the module, or the {@code @line:col} suffix of an unbound node's name; null otherwise.
   */
  public String locate(String message) {
    Matcher m = NODE.matcher(message);
    while (m.find()) {
      if (m.group(1) != null && bindings.containsKey(m.group(1))) {
        return bindings.get(m.group(1));
      }
      if (m.group(2) != null) {
        return m.group(2);
      }
    }
    return null;
  }

  private static final Pattern NODE = Pattern.compile("(%\\d+)\\b|@(\\d+:\\d+)");

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
