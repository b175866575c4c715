package dev.kbyoc.runtime;

import dev.kbyoc.ir.NDArray;
import java.util.List;
import java.util.Map;

/**
 * A runtime module in the sense of TVM's {@code runtime::Module}: a named set of functions the
 * graph runtime calls by symbol, serialisable to one package blob and loaded back through the
 * {@link ModuleLoaders} registry under its {@link #typeKey()}.
 */
public interface RuntimeModule {
  /** The loader key, e.g. {@code kbyoc_host}, {@code kendryte}, {@code json}. */
  String typeKey();

  /** The symbols (graph {@code func_name}s) this module defines. */
  List<String> symbols();

  /** The bytes stored in the package; {@code ModuleLoaders.load(typeKey(), serialize())} rebuilds the module. */
  byte[] serialize();

  /** Runs one function on tensor inputs; a tuple result is flattened. */
  List<NDArray> run(String symbol, List<NDArray> inputs);

  /**
   * Function {@code symbol} compiled for float32 buffers, a new instance per call (it owns scratch
   * space), or null when this module has no such form for it; the graph runtime then calls
   * {@link #run}. Null by default.
   */
  default FloatFunction floatFunction(String symbol) {
    return null;
  }

  /** Names of the params this module reads at init (constants it does not embed); empty by default. */
  default List<String> constVars() {
    return List.of();
  }

  /** Hands the module the params named by {@link #constVars()}; called once before the first run. */
  default void init(Map<String, NDArray> constants) {}
}
