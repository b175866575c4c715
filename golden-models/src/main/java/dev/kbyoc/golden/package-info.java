/**
 * The golden-model zoo: small CNNs written as ONNX graphs in code with seeded weights, so the
 * committed {@code .onnx} files can be regenerated bit for bit, and whose golden outputs come from
 * an independent engine (ONNX Runtime, used by this module's tests only).
 *
 * <p>May depend on: the protobuf classes generated from {@code onnx.proto} (Java package {@code onnx}), {@code ir}.
 */
package dev.kbyoc.golden;
