/**
 * The {@code golden-cnn} section of {@code kbyoc bench}: the zoo's CNNs on kbyoc's graph runtime
 * (host build, fast host kernels) against ONNX Runtime with the same thread count, in one process.
 * It lives here, not in {@code harness}, so ONNX Runtime stays a peer and oracle and never joins the
 * product's run path; {@code harness} finds it through {@link java.util.ServiceLoader}.
 *
 * <p>May depend on: {@code dev.kbyoc.golden}, {@code ir}, {@code onnx}, {@code build},
 * {@code runtime}, {@code verify.bench}; ONNX Runtime.
 */
package dev.kbyoc.golden.bench;
