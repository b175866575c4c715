package dev.kbyoc.cli;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import java.util.List;
import java.util.Map;

/**
 * A way to execute a loaded model for {@code kbyoc run --engine NAME}. The reference interpreter
 * is one; {@code graph} builds the module and runs it on the graph runtime (see
 * {@link PackageRun}).
 */
interface RunEngine {
  /** The {@code --engine} name. */
  String name();

  /**
   * Runs {@code @main} on values for all of its parameters (inputs and params, checked against
   * the parameter types) and returns the outputs flattened in order.
   */
  List<NDArray> run(IRModule module, Map<String, NDArray> values);
}
