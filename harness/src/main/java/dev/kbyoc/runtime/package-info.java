/**
 * Execution: the reference interpreter, and (with the build issue) the graph runtime, graph JSON
 * and params formats, modules and package export/load. Also {@code .npy} tensors.
 *
 * <p>May depend on: {@code ir}, {@code op}, {@code pass}.
 */
package dev.kbyoc.runtime;
