package dev.kbyoc.op;

import dev.kbyoc.ir.OpLibrary;
import dev.kbyoc.ir.OpSchema;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Registers every op with the IR (a {@link OpLibrary} service, listed in
 * {@code META-INF/services/dev.kbyoc.ir.OpLibrary}). One holder class per op family.
 */
public final class OpRegistry implements OpLibrary {
  @Override
  public Collection<? extends OpSchema> ops() {
    List<OpDef> all = new ArrayList<>();
    all.addAll(AnnotationOps.defs());
    all.addAll(ElementwiseOps.defs());
    all.addAll(NnOps.defs());
    all.addAll(ConvOps.defs());
    all.addAll(PoolOps.defs());
    all.addAll(Window3dOps.defs());
    all.addAll(PadOps.defs());
    all.addAll(TransformOps.defs());
    all.addAll(IndexOps.defs());
    all.addAll(ReduceOps.defs());
    all.addAll(ImageOps.defs());
    return all;
  }
}
