/**
 * The verification engine: seeded generators and a property runner (our own, not jqwik), a random
 * well-typed graph generator, oracles, a deterministic reducer, repro bundles and fuzz campaigns.
 *
 * <p>May depend on: {@code ir}, {@code op}, {@code pass}, {@code build}, {@code runtime},
 * {@code kendryte} (and its subpackages). Nothing outside {@code verify} and {@code cli} imports it, except that
 * {@code golden-models} implements {@code verify.bench.BenchSection} (the ONNX Runtime comparison).
 */
package dev.kbyoc.verify;
