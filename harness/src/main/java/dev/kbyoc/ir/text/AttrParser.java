package dev.kbyoc.ir.text;

import dev.kbyoc.ir.Limits;
import dev.kbyoc.ir.text.Token.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Parses {@code key=value} attribute lists of calls and functions. Values become Long (integers),
 * Double (floats such as {@code 0.1f}), Boolean, String or lists of those; op calls then coerce
 * them through the op's attribute specs.
 */
final class AttrParser {
  private AttrParser() {}

  /** True when the stream is at {@code ident =} or {@code ident.ident =} (an attribute). */
  static boolean atAttribute(TokenStream in) {
    if (!in.at(Kind.IDENT)) {
      return false;
    }
    int k = 2;
    while (in.peek(k).kind() == Kind.PERIOD && in.peek(k + 1).kind() == Kind.IDENT) {
      k += 2;
    }
    return in.peek(k).kind() == Kind.EQUAL;
  }

  /** Parses attributes up to (not including) the closing token; commas separate them. */
  static LinkedHashMap<String, Object> parse(TokenStream in, Kind close) {
    LinkedHashMap<String, Object> attrs = new LinkedHashMap<>();
    while (atAttribute(in)) {
      Token keyTok = in.peek();
      StringBuilder key = new StringBuilder(in.next().text());
      while (in.accept(Kind.PERIOD)) {
        key.append('.').append(in.expect(Kind.IDENT, "an attribute name").text());
      }
      in.expect(Kind.EQUAL, "`=`");
      if (attrs.containsKey(key.toString())) {
        throw in.error(keyTok, "attribute `" + key + "` given twice");
      }
      attrs.put(key.toString(), value(in));
      if (!in.at(close)) {
        in.expect(Kind.COMMA, "`,` between attributes");
      }
    }
    return attrs;
  }

  private static Object value(TokenStream in) {
    return value(in, 0);
  }

  private static Object value(TokenStream in, int depth) {
    Token t = in.peek();
    if (depth > Limits.nestingDepth()) {
      throw in.error(t, "attribute value nested deeper than " + Limits.nestingDepth() + " levels (-D"
          + Limits.NESTING_DEPTH + ")");
    }
    switch (t.kind()) {
      case INTEGER:
        in.next();
        return t.intValue();
      case FLOAT:
        in.next();
        return t.floatValue();
      case BOOLEAN:
        in.next();
        return t.intValue() != 0;
      case STRING:
        in.next();
        return t.text();
      case LSQUARE: {
        in.next();
        List<Object> items = new ArrayList<>();
        while (!in.accept(Kind.RSQUARE)) {
          items.add(value(in, depth + 1));
          if (!in.at(Kind.RSQUARE)) {
            in.expect(Kind.COMMA, "`,` or `]` in a list");
          }
        }
        return items;
      }
      case LPAREN: {
        in.next();
        Object v = value(in, depth + 1);
        in.expect(Kind.RPAREN, "`)`");
        return v;
      }
      default:
        throw in.error(t, "expected an attribute value, found " + t.show());
    }
  }
}
