package dev.kbyoc.runtime;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes JSON exactly as dmlc-core's {@code dmlc::JSONWriter} does, which is what TVM uses for the
 * graph JSON: a multi-line scope puts each item on its own line indented two spaces per open
 * scope, items are separated by {@code ", "} before the newline (hence the trailing space), an
 * empty scope prints as {@code []}/{@code {}}, and keys are written unescaped.
 */
final class DmlcJsonWriter {
  private final StringBuilder out = new StringBuilder();
  private final Deque<boolean[]> multiLine = new ArrayDeque<>();
  private final Deque<int[]> counter = new ArrayDeque<>();

  void beginObject(boolean multi) {
    out.append('{');
    push(multi);
  }

  void endObject() {
    end('}');
  }

  void beginArray(boolean multi) {
    out.append('[');
    push(multi);
  }

  void endArray() {
    end(']');
  }

  /** Starts a key's value: {@code WriteObjectKeyValue} up to the value. */
  void key(String key) {
    if (counter.peek()[0] != 0) {
      out.append(", ");
    }
    separator();
    out.append('"').append(key).append("\": ");
    counter.peek()[0]++;
  }

  /** {@code WriteArraySeperator}: call before each array item. */
  void item() {
    if (counter.peek()[0] != 0) {
      out.append(", ");
    }
    counter.peek()[0]++;
    separator();
  }

  void value(long v) {
    out.append(v);
  }

  void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '"' -> out.append("\\\"");
        default -> out.append(ch);
      }
    }
    out.append('"');
  }

  /** An array of integers as dmlc's ArrayHandler writes a POD vector: multi-line when over 10 items. */
  void intArray(int[] values) {
    beginArray(values.length > 10);
    for (int v : values) {
      item();
      value(v);
    }
    endArray();
  }

  private void push(boolean multi) {
    multiLine.push(new boolean[] {multi});
    counter.push(new int[] {0});
  }

  private void end(char close) {
    boolean multi = multiLine.pop()[0];
    int n = counter.pop()[0];
    if (multi && n != 0) {
      separator();
    }
    out.append(close);
  }

  private void separator() {
    if (multiLine.isEmpty() || multiLine.peek()[0]) {
      out.append('\n').append(" ".repeat(multiLine.size() * 2));
    }
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
