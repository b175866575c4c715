/**
 * Human-readable views of results: CSV tables, Graphviz rendering, inline SVG charts and the
 * per-model summary page (partition picture, package sizes, per-layer accuracy, KPU RAM per layer)
 * built from plain data records, so any stage can feed it and tests can feed it hand-made data.
 *
 * <p>May depend on: {@code dev.kbyoc.ir} (to draw partitions), the JDK and Jackson.
 */
package dev.kbyoc.report;
