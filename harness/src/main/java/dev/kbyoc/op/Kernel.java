package dev.kbyoc.op;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Value;
import java.util.List;

/**
 * A reference kernel: plain, obviously-correct Java computing an op's result from its argument
 * values, its full (defaulted) attributes and its inferred output type. It is the oracle that
 * optimised host kernels and the Kendryte simulator are checked against, so clarity beats speed;
 * float32 ops accumulate sums in double.
 */
@FunctionalInterface
public interface Kernel {
  Value compute(List<Value> args, Attrs attrs, Type outType);
}
