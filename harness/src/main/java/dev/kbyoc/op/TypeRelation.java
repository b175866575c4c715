package dev.kbyoc.op;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Type;
import java.util.List;

/** Infers an op's output type; throws a {@link dev.kbyoc.ir.KbyocException} describing a mismatch. */
@FunctionalInterface
public interface TypeRelation {
  Type infer(List<Type> argTypes, Attrs attrs);
}
