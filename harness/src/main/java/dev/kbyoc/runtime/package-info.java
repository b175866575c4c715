/**
 * Execution: the reference interpreter, and (with the build issue) the graph runtime, graph JSON
 * and params formats, modules and package export/load. Also {@code .npy} tensors, TVM's params
 * binary and loading a model ({@link dev.kbyoc.runtime.ModelLoader}): Relay text with its sidecar
 * params, or ONNX through {@code onnx}.
 *
 * <p>May depend on: {@code ir} (including {@code ir.text}), {@code op}, {@code pass}, {@code onnx},
 * {@code runtime.kernels}.
 */
package dev.kbyoc.runtime;
