/**
 * Passes over {@link dev.kbyoc.ir.IRModule}s and the pass infrastructure ({@link dev.kbyoc.pass.Pass},
 * {@link dev.kbyoc.pass.PassContext}): type inference and the BYOC passes. One pass per file.
 *
 * <p>May depend on: {@code ir}, {@code op}.
 */
package dev.kbyoc.pass;
