/**
 * Fast host kernels for the graph runtime: the same results as the reference kernels of
 * {@code dev.kbyoc.op} (bit for bit: they accumulate in double in the reference's order, and
 * float32 +, -, *, / round the same in float as in double-then-float), but written as flat loops
 * over the backing arrays, without per-element allocation, and split across output channels on a
 * shared {@link java.util.concurrent.ForkJoinPool} sized to the cores. The reference kernels stay
 * simple because they are the oracle; {@code runtime.HostKernels} registers these by op name.
 *
 * <p>May depend on: {@code ir}, {@code op}.
 */
package dev.kbyoc.runtime.kernels;
