package dev.kbyoc.op;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Value;
import java.util.List;

/**
 * A reference kernel: plain, obviously-correct Java computing an op's result from its argument
 * values, its full (defaulted) attributes and its inferred output type. It is the oracle that
 * optimised host kernels and the Kendryte simulator are checked against, so clarity beats speed.
 *
 * <p>Sums: the products of float32 {@code nn.conv2d} and {@code nn.dense} (the ops with fast
 * kernels) are accumulated in float32 with fused multiply-adds ({@link Math#fma(float, float,
 * float)}) starting from +0 in one canonical order: input channel, kernel row, kernel column for
 * conv2d (taps outside the input skipped), the reduction index for dense. That is the float32
 * accumulation of TVM's TOPI ({@code te.sum} over {@code rc, ry, rx} with a float32 out_dtype),
 * with the order pinned down, so a faster kernel that vectorizes across outputs but keeps each
 * output's order gives the same bits (a padding tap adds {@code 0 * w}, which changes nothing for
 * finite {@code w}). Every other sum (pools, reductions, batch norm, other dtypes) is accumulated in
 * double and rounded once.
 */
@FunctionalInterface
public interface Kernel {
  Value compute(List<Value> args, Attrs attrs, Type outType);

  /** Whether a product-sum over {@code a} and {@code b} into {@code out} accumulates in float32 (all float32). */
  static boolean accumulatesInFloat(NDArray a, NDArray b, Type out) {
    return a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32
        && out instanceof TensorType t && t.dtype() == DType.FLOAT32;
  }
}
