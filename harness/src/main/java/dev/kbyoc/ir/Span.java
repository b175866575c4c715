package dev.kbyoc.ir;

/**
 * Where an expression came from: the source file, line and column of its text, and the
 * {@code %} name it was bound to in Relay text (null when it had none). Passes and
 * {@code partition --json} name ops by {@link #describe}.
 */
public record Span(String file, int line, int col, String binding) {
  /** The span of nodes built in code rather than parsed. */
  public static final Span NONE = new Span(null, 0, 0, null);

  public static Span at(String file, int line, int col) {
    return new Span(file, line, col, null);
  }

  public Span withBinding(String name) {
    return new Span(file, line, col, name);
  }

  public boolean isKnown() {
    return line > 0;
  }

  /** {@code line:col}, or {@code ?} when unknown. */
  public String lineCol() {
    return line > 0 ? line + ":" + col : "?";
  }

  /** The node's name for users: its {@code %} binding, else {@code <what>@line:col}. */
  public String describe(String what) {
    if (binding != null) {
      return binding;
    }
    return what + "@" + lineCol();
  }

  @Override
  public String toString() {
    return (file == null ? "" : file + ":") + lineCol() + (binding == null ? "" : " (" + binding + ")");
  }
}
