package dev.kbyoc.onnx;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import java.util.List;
import java.util.Map;

/**
 * An imported ONNX model: {@code @main} takes the graph inputs, then the initializers it uses, as
 * parameters named as in the file; {@code params} maps those initializer names to their values
 * (ready for {@code bind_params_by_name}); {@code inputs} and {@code outputs} are the ONNX graph
 * input and output names in order.
 */
public record OnnxModel(IRModule module, Map<String, NDArray> params, List<String> inputs, List<String> outputs) {
  public OnnxModel {
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
