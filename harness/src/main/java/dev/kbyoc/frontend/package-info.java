/**
 * Model front end: loads a model file with its weights ({@link dev.kbyoc.frontend.ModelLoader}),
 * Relay text with its sidecar params or ONNX through {@code onnx} with {@code --shape} input
 * shapes, and saves a module as Relay text plus sidecar. The commands of {@code cli} load models
 * here; the runtime never reads model files.
 *
 * <p>May depend on: {@code ir} (including {@code ir.text}), {@code pass}, {@code onnx},
 * {@code runtime} (the params binary).
 */
package dev.kbyoc.frontend;
