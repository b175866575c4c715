package dev.kbyoc.ir;

import java.util.List;
import java.util.stream.Collectors;

/** The type of a tuple. */
public record TupleType(List<Type> fields) implements Type {
  public TupleType {
    fields = List.copyOf(fields);
  }

  public static TupleType of(Type... fields) {
    return new TupleType(List.of(fields));
  }

  @Override
  public String toRelay() {
    if (fields.size() == 1) {
      return "(" + fields.get(0).toRelay() + ",)";
    }
    return fields.stream().map(Type::toRelay).collect(Collectors.joining(", ", "(", ")"));
  }

  @Override
  public String toString() {
    return toRelay();
  }
}
