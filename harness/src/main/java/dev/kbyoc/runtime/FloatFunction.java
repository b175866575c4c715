package dev.kbyoc.runtime;

/**
 * A module function compiled for the graph runtime's float32 buffers: it reads its inputs from
 * and writes its outputs into caller-owned arrays (each at least as long as its tensor; only the
 * leading elements are used), without allocating or copying tensors per call. One instance per
 * graph runtime: it owns scratch space, so it must not run on two threads at once.
 */
public interface FloatFunction {
  /** Runs the function; {@code inputs[i]} and {@code outputs[j]} hold the i-th input and j-th output. */
  void run(float[][] inputs, float[][] outputs);
}
