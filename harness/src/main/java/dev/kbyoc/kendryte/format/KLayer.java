package dev.kbyoc.kendryte.format;

/** One kmodel layer: its header type and its parsed body. */
public sealed interface KLayer permits CpuLayer, K210ConvLayer {
  /** The layer type of its {@code kpu_model_layer_header_t}. */
  LayerType type();
}
