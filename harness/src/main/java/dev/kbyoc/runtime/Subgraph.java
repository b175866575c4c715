package dev.kbyoc.runtime;

import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.Var;
import java.util.List;

/**
 * A decoded module function: a typed {@link Function} whose body may also use free variables
 * standing for constants the module does not embed ({@code constRefs}, in order; variable name =
 * param name such as {@code json_0_const_0}). Embedded constants are plain constants in the body.
 */
public record Subgraph(Function function, List<Var> constRefs) {
  public Subgraph {
    constRefs = List.copyOf(constRefs);
  }

  /** The names of the constants this function reads from the params, in order. */
  public List<String> constNames() {
    return constRefs.stream().map(Var::name).toList();
  }
}
