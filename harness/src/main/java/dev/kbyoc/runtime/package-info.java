/**
 * Execution: the reference interpreter, and (with the build issue) the graph runtime, graph JSON
 * and params formats, modules and package export/load. Also {@code .npy} tensors, TVM's params
 * binary and loading a Relay text model with its sidecar params ({@link dev.kbyoc.runtime.ModelLoader}).
 *
 * <p>May depend on: {@code ir} (including {@code ir.text}), {@code op}, {@code pass}.
 */
package dev.kbyoc.runtime;
