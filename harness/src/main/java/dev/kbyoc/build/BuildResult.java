package dev.kbyoc.build;

import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.GraphJson;
import dev.kbyoc.runtime.RuntimeModule;
import java.util.List;
import java.util.Map;

/**
 * What {@link RelayBuild} produces, as {@code relay.build} does: the graph, the params and the
 * modules (the host module first, then one per external function in call order), plus the
 * warnings the invariant check raised when the seed bug was asked for explicitly.
 */
public record BuildResult(GraphJson graph, Map<String, NDArray> params, List<RuntimeModule> modules, List<String> warnings) {
  public BuildResult {
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    modules = List.copyOf(modules);
    warnings = List.copyOf(warnings);
  }

  public String graphJson() {
    return graph.toJson();
  }
}
