package dev.kbyoc.verify;

import dev.kbyoc.build.BuildResult;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.GraphRuntime;
import dev.kbyoc.runtime.WarningSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs a build on the graph runtime (host kernels plus each external module) and collects warnings. */
final class GraphEngine {
  private GraphEngine() {}

  /** The outputs of one run; {@code warnings} receives the runtime's warnings. */
  static List<NDArray> run(BuildResult b, Map<String, NDArray> inputs, List<String> warnings) {
    return run(b.graph(), b.modules(), b.params(), inputs, warnings);
  }

  /** Runs a graph with its modules and params (e.g. as loaded from a package). */
  static List<NDArray> run(dev.kbyoc.runtime.GraphJson graph, List<dev.kbyoc.runtime.RuntimeModule> modules,
      Map<String, NDArray> params, Map<String, NDArray> inputs, List<String> warnings) {
    WarningSink sink = warnings::add;
    GraphRuntime rt = new GraphRuntime(graph, modules, sink);
    rt.loadParams(params);
    for (Map.Entry<String, NDArray> in : inputs.entrySet()) {
      rt.setInput(in.getKey(), in.getValue());
    }
    rt.run();
    List<NDArray> out = new ArrayList<>();
    for (int i = 0; i < rt.numOutputs(); i++) {
      out.add(rt.getOutput(i));
    }
    return out;
  }
}
