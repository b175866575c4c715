/**
 * Fast host kernels for the graph runtime, on raw float arrays (the graph runtime's buffers) and,
 * through {@link dev.kbyoc.runtime.kernels.FastKernels}, as NDArray kernels. Convolution is a
 * register-blocked matrix product ({@link dev.kbyoc.runtime.kernels.Gemm}) over an implicit im2col
 * of the padded, stride-phase-split input; each output is summed with float fused multiply-adds in
 * the reference's order ({@link dev.kbyoc.op.Kernel}), so convolution and dense results are
 * bit-identical to the reference kernels of {@code dev.kbyoc.op}. The Vector API
 * ({@code jdk.incubator.vector}) is used when the module is present
 * ({@link dev.kbyoc.runtime.kernels.Simd}); otherwise plain loops compute the same values. Large
 * loops are split across {@link dev.kbyoc.runtime.kernels.Parallel}'s spinning workers. The
 * reference kernels stay simple because they are the oracle; {@code runtime.HostKernels} registers
 * these by op name.
 *
 * <p>May depend on: {@code ir}, {@code op}.
 */
package dev.kbyoc.runtime.kernels;
