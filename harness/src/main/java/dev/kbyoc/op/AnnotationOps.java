package dev.kbyoc.op;

import dev.kbyoc.ir.AttrSpec;
import java.util.List;

/**
 * {@code annotation.compiler_begin} / {@code annotation.compiler_end}: identity ops that
 * AnnotateTarget puts on every argument edge to mark region boundaries (attr {@code compiler}).
 */
public final class AnnotationOps {
  public static final String COMPILER_BEGIN = "annotation.compiler_begin";
  public static final String COMPILER_END = "annotation.compiler_end";

  private AnnotationOps() {}

  static List<OpDef> defs() {
    return List.of(identity(COMPILER_BEGIN), identity(COMPILER_END));
  }

  private static OpDef identity(String name) {
    return OpDef.builder(name)
        .attr(new AttrSpec("compiler", dev.kbyoc.ir.AttrKind.STRING, null))
        .type((args, attrs) -> args.get(0))
        .kernel((args, attrs, out) -> args.get(0))
        .pattern(OpPattern.OPAQUE)
        .build();
  }
}
