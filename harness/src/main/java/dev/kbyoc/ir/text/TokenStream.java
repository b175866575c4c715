package dev.kbyoc.ir.text;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.text.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * A token stream with a small lookahead window over a {@link Lexer}. Type-annotation tokens are
 * invisible to {@link #peek} and {@link #next}; the parser picks them up with
 * {@link #takeAnnotation} right after an expression, where TVM's printer puts them.
 */
final class TokenStream {
  private final Lexer lexer;
  private final String file;
  private final List<Token> window = new ArrayList<>();

  TokenStream(String file, Lexer lexer) {
    this.file = file;
    this.lexer = lexer;
  }

  String file() {
    return file;
  }

  private void fill(int rawCount) {
    while (window.size() < rawCount) {
      window.add(lexer.next());
    }
  }

  /** The k-th (1-based) token ahead that is not a type annotation. */
  Token peek(int k) {
    int seen = 0;
    for (int i = 0; ; i++) {
      fill(i + 1);
      Token t = window.get(i);
      if (t.kind() == Kind.EOF) {
        return t;
      }
      if (t.kind() != Kind.TYPE_ANNOTATION && ++seen == k) {
        return t;
      }
    }
  }

  Token peek() {
    return peek(1);
  }

  boolean at(Kind kind) {
    return peek().kind() == kind;
  }

  /** Consumes and returns the next token; annotations in the way are dropped (TVM ignores them too). */
  Token next() {
    while (true) {
      fill(1);
      Token t = window.remove(0);
      if (t.kind() == Kind.EOF) {
        window.add(0, t);
        return t;
      }
      if (t.kind() != Kind.TYPE_ANNOTATION) {
        return t;
      }
    }
  }

  /** Consumes the next token when it has this kind. */
  boolean accept(Kind kind) {
    if (at(kind)) {
      next();
      return true;
    }
    return false;
  }

  /** Consumes a token of this kind or fails with {@code expected <what>, found <token>}. */
  Token expect(Kind kind, String what) {
    Token t = peek();
    if (t.kind() != kind) {
      throw error(t, "expected " + what + ", found " + t.show());
    }
    return next();
  }

  /** The type annotation right at the head of the stream, consumed, or null. */
  Token takeAnnotation() {
    fill(1);
    if (window.get(0).kind() == Kind.TYPE_ANNOTATION) {
      return window.remove(0);
    }
    return null;
  }

  KbyocException error(Token at, String message) {
    return Lexer.error(file, at.line(), at.col(), message);
  }

  KbyocException error(int line, int col, String message) {
    return Lexer.error(file, line, col, message);
  }
}
