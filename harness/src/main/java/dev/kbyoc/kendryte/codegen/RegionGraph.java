package dev.kbyoc.kendryte.codegen;

import java.util.List;

/**
 * A Kendryte region as a dataflow graph: nodes in topological order (the single
 * {@link RegionNode.Kind#INPUT} among them) and the nodes whose tensors the function returns, in
 * the order of its result (a tensor may be returned more than once).
 */
record RegionGraph(List<RegionNode> nodes, List<RegionNode> outputs) {

  /** The nodes that read {@code n}'s tensor (each once, even when it reads it twice). */
  List<RegionNode> consumers(RegionNode n) {
    return nodes.stream().filter(c -> c.inputs().contains(n)).toList();
  }

  /** The input node. */
  RegionNode input() {
    return nodes.stream().filter(n -> n.kind() == RegionNode.Kind.INPUT).findFirst().orElseThrow();
  }
}
