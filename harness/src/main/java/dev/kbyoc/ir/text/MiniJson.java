package dev.kbyoc.ir.text;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Limits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader (objects, arrays, strings, numbers, booleans, null) for TVM's
 * metadata section, so that the IR needs no JSON library. Objects become ordered maps, numbers
 * Long or Double.
 */
final class MiniJson {
  private final String s;
  private final String source;
  private int i;
  private int depth;

  private MiniJson(String s, String source) {
    this.s = s;
    this.source = source;
  }

  static Object parse(String text, String source) {
    MiniJson j = new MiniJson(text, source);
    Object v = j.value();
    j.skip();
    if (j.i != text.length()) {
      throw j.error("unexpected text after the JSON value");
    }
    return v;
  }

  private KbyocException error(String msg) {
    return new KbyocException(source + ": bad JSON at offset " + i + ": " + msg);
  }

  private void skip() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }

  private boolean accept(char c) {
    skip();
    if (i < s.length() && s.charAt(i) == c) {
      i++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!accept(c)) {
      throw error("expected '" + c + "'");
    }
  }

  private Object value() {
    if (++depth > Limits.nestingDepth()) {
      throw error("nested deeper than " + Limits.nestingDepth() + " levels (-D" + Limits.NESTING_DEPTH + ")");
    }
    try {
      return valueAt();
    } finally {
      depth--;
    }
  }

  private Object valueAt() {
    skip();
    if (i >= s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(i);
    if (c == '{') {
      i++;
      Map<String, Object> m = new LinkedHashMap<>();
      if (accept('}')) {
        return m;
      }
      do {
        skip();
        String k = string();
        expect(':');
        m.put(k, value());
      } while (accept(','));
      expect('}');
      return m;
    }
    if (c == '[') {
      i++;
      List<Object> l = new ArrayList<>();
      if (accept(']')) {
        return l;
      }
      do {
        l.add(value());
      } while (accept(','));
      expect(']');
      return l;
    }
    if (c == '"') {
      return string();
    }
    for (String lit : new String[] {"true", "false", "null"}) {
      if (s.startsWith(lit, i)) {
        i += lit.length();
        return lit.equals("null") ? null : Boolean.valueOf(lit);
      }
    }
    int start = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    String num = s.substring(start, i);
    try {
      return num.matches("-?\\d+") ? (Object) Long.parseLong(num) : (Object) Double.parseDouble(num);
    } catch (NumberFormatException e) {
      i = start;
      throw error("expected a value");
    }
  }

  private String string() {
    if (i >= s.length() || s.charAt(i) != '"') {
      throw error("expected a string");
    }
    i++;
    StringBuilder sb = new StringBuilder();
    while (i < s.length() && s.charAt(i) != '"') {
      char c = s.charAt(i++);
      if (c == '\\') {
        if (i >= s.length()) {
          break;
        }
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw error("bad \\u escape");
            }
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> sb.append(e);
        }
      } else {
        sb.append(c);
      }
    }
    if (i >= s.length()) {
      throw error("unterminated string");
    }
    i++;
    return sb.toString();
  }
}
