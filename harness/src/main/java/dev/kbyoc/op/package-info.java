/**
 * The operator registry: each op's attributes, type relation, reference kernel and fusion
 * pattern, grouped in holder classes ({@link dev.kbyoc.op.ElementwiseOps}, ...). Registered with
 * the IR through {@link dev.kbyoc.op.OpRegistry} (a {@link dev.kbyoc.ir.OpLibrary} service).
 *
 * <p>May depend on: {@code ir}.
 */
package dev.kbyoc.op;
