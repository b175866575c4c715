package dev.kbyoc.ir.text;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.text.Token.Kind;

/**
 * Splits Relay text into tokens on demand, following TVM v0.8's tokenizer (src/parser/tokenizer.h):
 * {@code %name} locals, {@code %0} graph bindings, {@code @name} globals, numbers with optional
 * width suffixes ({@code 1f}, {@code 0.5f}, {@code -2i64}), {@code True}/{@code False},
 * {@code "strings"} (no escapes), {@code meta[key][i]}, {@code #[version = "0.0.5"]}, line and
 * (nested) block comments. Comments are dropped except {@code /* ty=... *}{@code /}, which becomes
 * a {@link Kind#TYPE_ANNOTATION} token so the parser can check it. Identifiers may contain
 * {@code _}, {@code /} and digits, as in TVM.
 */
final class Lexer {
  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("[0-9]+(\\.[0-9]*)?([eE][+-]?[0-9]+)?");
  private final String file;
  private final String src;
  private int pos;
  private int line = 1;
  private int col = 1;
  private Kind last;

  Lexer(String file, String src) {
    this(file, src, 1, 1);
  }

  /** A lexer over a fragment that starts at {@code line:col} of {@code file} (for annotations). */
  Lexer(String file, String src, int line, int col) {
    this.file = file;
    this.src = src;
    this.line = line;
    this.col = col;
  }

  /** A one-line error {@code file:line:col: message}. */
  static KbyocException error(String file, int line, int col, String message) {
    return new KbyocException(file + ":" + line + ":" + col + ": " + message);
  }

  private KbyocException error(int l, int c, String message) {
    return error(file, l, c, message);
  }

  private char peekChar(int k) {
    return pos + k < src.length() ? src.charAt(pos + k) : '\0';
  }

  private char advance() {
    char c = src.charAt(pos++);
    if (c == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
    return c;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isNumeric(char c) {
    return isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+';
  }

  private static boolean isIdentStart(char c) {
    return c == '_' || c == '/' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isIdent(char c) {
    return isIdentStart(c) || isDigit(c);
  }

  /** The next token (skipping whitespace and ordinary comments); EOF at the end, repeatedly. */
  Token next() {
    Token t = scan();
    last = t.kind();
    return t;
  }

  private Token scan() {
    while (true) {
      if (pos >= src.length()) {
        return Token.simple(Kind.EOF, "", line, col);
      }
      char c = src.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        advance();
      } else if (c == '/' && peekChar(1) == '/') {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          advance();
        }
      } else if (c == '/' && peekChar(1) == '*') {
        Token t = blockComment();
        if (t != null) {
          return t;
        }
      } else {
        return token(c);
      }
    }
  }

  private Token blockComment() {
    int l = line;
    int c = col;
    advance();
    advance();
    int start = pos;
    int depth = 1;
    while (depth > 0) {
      if (pos >= src.length()) {
        throw error(l, c, "unterminated comment");
      }
      if (src.charAt(pos) == '/' && peekChar(1) == '*') {
        depth++;
        advance();
      } else if (src.charAt(pos) == '*' && peekChar(1) == '/') {
        depth--;
        advance();
      }
      advance();
    }
    String body = src.substring(start, pos - 2);
    int lead = 0;
    while (lead < body.length() && Character.isWhitespace(body.charAt(lead))) {
      lead++;
    }
    if (!body.startsWith("ty=", lead)) {
      return null;
    }
    int tl = l;
    int tc = c + 2;
    for (int i = 0; i < lead + 3; i++) {
      if (body.charAt(i) == '\n') {
        tl++;
        tc = 1;
      } else {
        tc++;
      }
    }
    return new Token(Kind.TYPE_ANNOTATION, body.substring(lead + 3).strip(), 0, 0, 0, tl, tc);
  }

  private Token punct(Kind kind, String text) {
    Token t = Token.simple(kind, text, line, col);
    advance();
    return t;
  }

  private Token token(char c) {
    int l = line;
    int k = col;
    switch (c) {
      case '(': return punct(Kind.LPAREN, "(");
      case ')': return punct(Kind.RPAREN, ")");
      case '[': return punct(Kind.LSQUARE, "[");
      case ']': return punct(Kind.RSQUARE, "]");
      case '{': return punct(Kind.LCURLY, "{");
      case '}': return punct(Kind.RCURLY, "}");
      case ',': return punct(Kind.COMMA, ",");
      case '.': return punct(Kind.PERIOD, ".");
      case '=': return punct(Kind.EQUAL, "=");
      case ';': return punct(Kind.SEMICOLON, ";");
      case ':': return punct(Kind.COLON, ":");
      case '>': return punct(Kind.RANGLE, ">");
      case '<': return punct(Kind.LANGLE, "<");
      case '?': return punct(Kind.QUESTION, "?");
      case '*': return punct(Kind.STAR, "*");
      case '+': return punct(Kind.PLUS, "+");
      case '!': return punct(Kind.BANG, "!");
      case '/': return punct(Kind.SLASH, "/");
      default: break;
    }
    if (c == '"') {
      advance();
      int start = pos;
      while (pos < src.length() && src.charAt(pos) != '"') {
        advance();
      }
      if (pos >= src.length()) {
        throw error(l, k, "unterminated string literal");
      }
      String s = src.substring(start, pos);
      advance();
      return Token.simple(Kind.STRING, s, l, k);
    }
    if (c == '-') {
      int negs = 0;
      while (peekChar(0) == '-') {
        advance();
        negs++;
      }
      if (isDigit(peekChar(0))) {
        return number(negs % 2 == 1, l, k);
      }
      if (src.startsWith("inff", pos)) {
        return infinity(negs % 2 == 1, l, k);
      }
      if (negs > 1) {
        throw error(l, k, "unexpected `--`");
      }
      return Token.simple(Kind.MINUS, "-", l, k);
    }
    if (isDigit(c)) {
      return number(false, l, k);
    }
    if (src.startsWith("inff", pos)) {
      return infinity(false, l, k);
    }
    if (src.startsWith("nanf", pos)) {
      for (int i = 0; i < 4; i++) {
        advance();
      }
      return new Token(Kind.FLOAT, "nanf", 0, Double.NaN, 32, l, k);
    }
    if (src.startsWith("meta[", pos)) {
      return metaRef(l, k);
    }
    if (c == '#') {
      return attribute(l, k);
    }
    if (c == '%') {
      advance();
      if (isDigit(peekChar(0))) {
        int start = pos;
        while (isDigit(peekChar(0))) {
          advance();
        }
        return new Token(Kind.GRAPH, src.substring(start, pos), parseIndex(start, l, k), 0, 0, l, k);
      }
      if (!isIdentStart(peekChar(0))) {
        throw error(l, k, "expected a variable name after `%`");
      }
      return Token.simple(Kind.LOCAL, ident(), l, k);
    }
    if (c == '@') {
      advance();
      if (!isIdentStart(peekChar(0))) {
        throw error(l, k, "expected a global name after `@`");
      }
      return Token.simple(Kind.GLOBAL, ident(), l, k);
    }
    if (isIdentStart(c)) {
      String id = ident();
      if (id.equals("True") || id.equals("False")) {
        return new Token(Kind.BOOLEAN, id, id.equals("True") ? 1 : 0, 0, 1, l, k);
      }
      return Token.simple(Kind.IDENT, id, l, k);
    }
    throw error(l, k, "unexpected character `" + c + "`");
  }

  private String ident() {
    int start = pos;
    while (isIdent(peekChar(0))) {
      advance();
    }
    return src.substring(start, pos);
  }

  private long parseIndex(int start, int l, int k) {
    try {
      return Long.parseLong(src.substring(start, pos));
    } catch (NumberFormatException e) {
      throw error(l, k, "number too large `" + src.substring(start, pos) + "`");
    }
  }

  private Token infinity(boolean negative, int l, int k) {
    for (int i = 0; i < 4; i++) {
      advance();
    }
    double v = negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    return new Token(Kind.FLOAT, (negative ? "-" : "") + "inff", 0, v, 32, l, k);
  }

  private Token number(boolean negative, int l, int k) {
    int start = pos;
    if (last == Kind.PERIOD) {
      // a tuple projection index: digits only, so that `%0.1.0` is not read as a float
      while (isDigit(peekChar(0))) {
        advance();
      }
    } else {
      while (isNumeric(peekChar(0))) {
        advance();
      }
    }
    String literal = src.substring(start, pos);
    char suffix = peekChar(0);
    int width = 32;
    boolean isFloat = literal.contains(".") || literal.contains("e") || literal.contains("E");
    if (suffix == 'f' || suffix == 'i') {
      advance();
      int ws = pos;
      while (isDigit(peekChar(0))) {
        advance();
      }
      String w = src.substring(ws, pos);
      width = w.isEmpty() ? 32 : Integer.parseInt(w.length() > 4 ? "0" : w);
      isFloat = suffix == 'f';
      if ((isFloat && width != 32 && width != 64) || (!isFloat && width != 8 && width != 32 && width != 64)) {
        throw error(l, k, "invalid numeric suffix `" + suffix + w + "`");
      }
    }
    String text = (negative ? "-" : "") + src.substring(start, pos);
    if (!NUMBER.matcher(literal).matches()) {
      throw error(l, k, "invalid number `" + text + "`");
    }
    if (isFloat) {
      double v = Double.parseDouble(literal);
      return new Token(Kind.FLOAT, text, 0, negative ? -v : v, width, l, k);
    }
    try {
      long v = Long.parseLong((negative ? "-" : "") + literal);
      if (suffix != 'i' && (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE)) {
        width = 64;
      }
      if (width == 32 && (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE)
          || width == 8 && (v > Byte.MAX_VALUE || v < Byte.MIN_VALUE)) {
        throw error(l, k, "integer `" + text + "` does not fit in " + width + " bits");
      }
      return new Token(Kind.INTEGER, text, v, 0, width, l, k);
    } catch (NumberFormatException e) {
      throw error(l, k, "invalid integer `" + text + "`");
    }
  }

  private Token metaRef(int l, int k) {
    for (int i = 0; i < 5; i++) {
      advance();
    }
    int start = pos;
    while (pos < src.length() && src.charAt(pos) != ']' && src.charAt(pos) != '\n') {
      advance();
    }
    String key = src.substring(start, pos);
    if (peekChar(0) != ']' || peekChar(1) != '[') {
      throw error(l, k, "malformed meta reference, expected meta[type_key][index]");
    }
    advance();
    advance();
    int is = pos;
    while (isDigit(peekChar(0))) {
      advance();
    }
    if (is == pos || peekChar(0) != ']') {
      throw error(l, k, "malformed meta reference, expected meta[" + key + "][index]");
    }
    long index = parseIndex(is, l, k);
    advance();
    return new Token(Kind.META, key, index, 0, 0, l, k);
  }

  private Token attribute(int l, int k) {
    advance();
    if (peekChar(0) != '[') {
      throw error(l, k, "`#` must be followed by `[`");
    }
    advance();
    int start = pos;
    while (pos < src.length() && src.charAt(pos) != ']') {
      advance();
    }
    if (pos >= src.length()) {
      throw error(l, k, "unterminated `#[` attribute");
    }
    String attr = src.substring(start, pos).strip();
    advance();
    if (attr.equals("metadata")) {
      return Token.simple(Kind.METADATA, "#[metadata]", l, k);
    }
    if (attr.startsWith("version")) {
      String v = attr.substring(attr.indexOf('=') + 1).strip();
      return Token.simple(Kind.VERSION, v, l, k);
    }
    throw error(l, k, "unsupported attribute #[" + attr + "]");
  }
}
