package dev.kbyoc.ir;

import java.util.List;

/** A tuple of runtime values, the result of a Relay tuple or a multi-output op. */
public record TupleValue(List<Value> fields) implements Value {
  public TupleValue {
    fields = List.copyOf(fields);
  }

  public Value get(int i) {
    return fields.get(i);
  }
}
