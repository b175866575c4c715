/**
 * The Relay-style intermediate representation: tensors, types, immutable expressions, modules,
 * memoised iterative visitors, structural equality and the Relay text format.
 *
 * <p>May depend on: nothing else in kbyoc.
 */
package dev.kbyoc.ir;
