package dev.kbyoc.ir;

import java.util.List;
import java.util.stream.Collectors;

/** The type of a function: parameter types and return type. */
public record FuncType(List<Type> params, Type ret) implements Type {
  public FuncType {
    params = List.copyOf(params);
  }

  @Override
  public String toRelay() {
    return params.stream().map(Type::toRelay).collect(Collectors.joining(", ", "fn (", ")")) + " -> " + ret.toRelay();
  }

  @Override
  public String toString() {
    return toRelay();
  }
}
