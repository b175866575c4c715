/**
 * The performance suite behind {@code kbyoc bench}: sections that each measure one thing in the
 * running process and report {@link dev.kbyoc.verify.bench.Figure}s, preferably ratios measured in
 * the same run (so a loaded machine slows both sides alike). Built-in sections cover the Kendryte
 * simulator's MAC rate, partition scaling and fuzz throughput; further sections (the golden CNNs
 * against ONNX Runtime, which lives in {@code golden-models} so the product never links it) are
 * found with {@link java.util.ServiceLoader} when their jar is on the class path.
 *
 * <p>May depend on: {@code ir}, {@code op}, {@code pass}, {@code build}, {@code runtime},
 * {@code kendryte}, {@code verify}.
 */
package dev.kbyoc.verify.bench;
