package dev.kbyoc.ir.text;

/**
 * One token of Relay text. {@code text} is the identifier, local/global name, string content,
 * meta type key, version string or annotation text; numbers carry their value and bit width.
 */
record Token(Kind kind, String text, long intValue, double floatValue, int width, int line, int col) {

  /** Token kinds, following TVM's tokenizer (src/parser/token.h). */
  enum Kind {
    INTEGER, FLOAT, BOOLEAN, STRING, IDENT, LOCAL, GRAPH, GLOBAL, META, VERSION, METADATA,
    LPAREN, RPAREN, LSQUARE, RSQUARE, LCURLY, RCURLY, COMMA, PERIOD, EQUAL, SEMICOLON, COLON,
    MINUS, RANGLE, LANGLE, QUESTION, STAR, PLUS, SLASH, BANG,
    /** A {@code /* ty=T *}{@code /} comment; {@code text} is T, line/col where T starts. */
    TYPE_ANNOTATION,
    EOF
  }

  static Token simple(Kind kind, String text, int line, int col) {
    return new Token(kind, text, 0, 0, 0, line, col);
  }

  /** How the token reads in an error message. */
  String show() {
    return switch (kind) {
      case EOF -> "end of file";
      case LOCAL -> "`%" + text + "`";
      case GRAPH -> "`%" + intValue + "`";
      case GLOBAL -> "`@" + text + "`";
      case STRING -> "string \"" + text + "\"";
      case TYPE_ANNOTATION -> "type annotation";
      default -> "`" + text + "`";
    };
  }
}
