/**
 * Execution: the reference interpreter; the graph executor ({@link dev.kbyoc.runtime.GraphRuntime})
 * with TVM's graph JSON ({@link dev.kbyoc.runtime.GraphJson}) and params binary, running host
 * functions compiled to float-buffer programs ({@link dev.kbyoc.runtime.FloatFunction}) on its
 * storage pools; runtime modules
 * ({@link dev.kbyoc.runtime.RuntimeModule}) and their loaders by type
 * ({@link dev.kbyoc.runtime.ModuleLoaders}); package export and verified load
 * ({@link dev.kbyoc.runtime.PackageWriter}, {@link dev.kbyoc.runtime.PackageReader}) and its
 * inspection. Also {@code .npy} tensors and TVM's params binary ({@link dev.kbyoc.runtime.ParamsFormat}).
 * Loading model files is {@code frontend}'s job.
 *
 * <p>May depend on: {@code ir} (including {@code ir.text}), {@code op}, {@code pass},
 * {@code runtime.kernels}.
 */
package dev.kbyoc.runtime;
