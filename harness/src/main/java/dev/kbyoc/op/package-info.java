/**
 * The operator registry: each op's attributes (TVM v0.8 names, order and defaults), type
 * relation, reference kernel and fusion pattern, grouped in holder classes by family
 * ({@link dev.kbyoc.op.ElementwiseOps}, {@link dev.kbyoc.op.NnOps}, {@link dev.kbyoc.op.ConvOps},
 * {@link dev.kbyoc.op.PoolOps}, {@link dev.kbyoc.op.PadOps}, {@link dev.kbyoc.op.TransformOps},
 * {@link dev.kbyoc.op.ReduceOps}, {@link dev.kbyoc.op.ImageOps}, {@link dev.kbyoc.op.AnnotationOps})
 * and registered with the IR through {@link dev.kbyoc.op.OpRegistry} (a
 * {@link dev.kbyoc.ir.OpLibrary} service). {@code docs/ops.md} lists every op.
 *
 * <p>May depend on: {@code ir}.
 */
package dev.kbyoc.op;
