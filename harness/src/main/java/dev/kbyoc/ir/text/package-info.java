/**
 * TVM's Relay text format, version 0.0.5, as TVM v0.8's {@code astext()} prints it: a parser that
 * keeps source locations and checks {@code /* ty=... *}{@code /} annotations, and a printer whose
 * output re-parses to a structurally equal module. Constants that are not simple scalars print as
 * {@code meta[relay.Constant][i]}; their data travels in a sidecar params file (see
 * {@link dev.kbyoc.ir.text.MetaConstants}).
 *
 * <p>May depend on: {@code dev.kbyoc.ir}.
 */
package dev.kbyoc.ir.text;
