package dev.kbyoc.onnx;

import dev.kbyoc.ir.KbyocException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx.NodeProto;

/**
 * Orders a graph's nodes so every node follows the producers of its inputs, and rejects graphs
 * that use an undefined tensor (e.g. a missing initializer), define a tensor twice, or contain a
 * cycle. ONNX requires nodes in topological order, but exporters are not always careful, so the
 * order is computed (Kahn's algorithm, stable in file order) rather than trusted.
 */
final class GraphOrder {
  private GraphOrder() {}

  /**
   * The node indices in a valid evaluation order.
   *
   * @param defined the names available before any node runs (graph inputs and initializers)
   */
  static List<Integer> sort(String file, List<NodeProto> nodes, Set<String> defined) {
    Map<String, Integer> producer = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      for (String out : nodes.get(i).getOutputList()) {
        if (out.isEmpty()) {
          continue;
        }
        if (defined.contains(out)) {
          throw new KbyocException(ImportContext.describe(file, nodes.get(i), i) + ": output '" + out
              + "' redefines a graph input or initializer");
        }
        Integer prev = producer.put(out, i);
        if (prev != null) {
          throw new KbyocException(ImportContext.describe(file, nodes.get(i), i) + ": output '" + out
              + "' is also produced by " + ImportContext.describe(file, nodes.get(prev), prev));
        }
      }
    }
    int[] pending = new int[nodes.size()];
    List<List<Integer>> consumers = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      consumers.add(new ArrayList<>());
    }
    for (int i = 0; i < nodes.size(); i++) {
      for (String in : nodes.get(i).getInputList()) {
        if (in.isEmpty() || defined.contains(in)) {
          continue;
        }
        Integer p = producer.get(in);
        if (p == null) {
          throw new KbyocException(ImportContext.describe(file, nodes.get(i), i) + ": input '" + in
              + "' is not a graph input, an initializer or another node's output (missing initializer?)");
        }
        pending[i]++;
        consumers.get(p).add(i);
      }
    }
    ArrayDeque<Integer> ready = new ArrayDeque<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (pending[i] == 0) {
        ready.add(i);
      }
    }
    List<Integer> order = new ArrayList<>(nodes.size());
    while (!ready.isEmpty()) {
      int n = ready.poll();
      order.add(n);
      for (int c : consumers.get(n)) {
        if (--pending[c] == 0) {
          ready.add(c);
        }
      }
    }
    if (order.size() != nodes.size()) {
      for (int i = 0; i < nodes.size(); i++) {
        if (pending[i] > 0) {
          throw new KbyocException(ImportContext.describe(file, nodes.get(i), i)
              + ": the graph has a cycle (this node is on or after it; " + (nodes.size() - order.size()) + " nodes cannot be ordered)");
        }
      }
    }
    return order;
  }
}
