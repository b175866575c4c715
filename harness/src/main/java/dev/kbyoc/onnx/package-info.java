/**
 * The ONNX frontend: reads {@code .onnx} files (protobuf classes generated at build time from the
 * checked-in {@code onnx.proto}) into an {@link dev.kbyoc.ir.IRModule} whose {@code @main} takes
 * the graph inputs followed by the initializers as parameters, plus the initializer values, so
 * that {@code bind_params_by_name} applies as in the seed flow. Static shape arithmetic that
 * export tools emit (Shape/Gather/Cast/Slice/Concat/Unsqueeze chains) is folded at import.
 *
 * <p>May depend on: {@code ir}, {@code op}, {@code pass}.
 */
package dev.kbyoc.onnx;
