package dev.kbyoc.kendryte.codegen;

import java.util.List;

/**
 * One node of a Kendryte region's dataflow graph, as {@link RegionGraphMatcher} finds it: the
 * region input, a KPU conv group, or one CPU-layer operation of kmodel v3. Every node produces one
 * tensor, NCHW without the batch ({@code [C, H, W]}) or a vector ({@code [N]}).
 *
 * @param id position in topological order (inputs before consumers)
 * @param kind what the node computes
 * @param inputs the producing nodes, in argument order
 * @param shape the produced tensor's shape without the batch dimension
 * @param name the Relay node that names this node in messages
 * @param conv the KPU layer ({@link Kind#CONV} only)
 * @param act fused activation of ADD and DENSE: 0 none, 1 relu, 2 relu6
 * @param weights DENSE weights {@code [units][in]} row-major, with any per-unit scale folded in
 * @param bias DENSE bias per unit
 */
record RegionNode(int id, Kind kind, List<RegionNode> inputs, int[] shape, String name, ConvGroup conv, int act,
    float[] weights, float[] bias) {

  /** What a node computes. */
  enum Kind {
    /** The function's single parameter (float32). */
    INPUT,
    /** A KPU conv group: conv2d (or identity) + affine + activation + pool. */
    CONV,
    /** Elementwise sum of two tensors of one shape, then the activation. */
    ADD,
    /** Channel (axis 1) concatenation. */
    CONCAT,
    /** Nearest-neighbour resize with asymmetric coordinates and floor rounding. */
    RESIZE,
    /** Global average pooling to {@code [C, 1, 1]}. */
    GLOBAL_AVG_POOL,
    /** batch_flatten to {@code [C*H*W]}: the NCHW bytes unchanged, so no layer. */
    FLATTEN,
    /** nn.dense (+ bias + activation). */
    DENSE,
    /** Softmax over a vector. */
    SOFTMAX
  }

  /** Elements of the produced tensor. */
  int size() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  RegionNode input(int i) {
    return inputs.get(i);
  }
}
