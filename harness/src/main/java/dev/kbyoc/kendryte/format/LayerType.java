package dev.kbyoc.kendryte.format;

/**
 * The kmodel v3 layer types, {@code kpu_model_layer_type_t} of the K210 SDK's {@code kpu.h} with
 * the same numeric codes (KL_ADD = 1 ... KL_LOGISTIC = 25, KL_K210_CONV = 10240 ...).
 */
public enum LayerType {
  INVALID(0),
  ADD(1),
  QUANTIZED_ADD(2),
  GLOBAL_MAX_POOL2D(3),
  QUANTIZED_GLOBAL_MAX_POOL2D(4),
  GLOBAL_AVERAGE_POOL2D(5),
  QUANTIZED_GLOBAL_AVERAGE_POOL2D(6),
  MAX_POOL2D(7),
  QUANTIZED_MAX_POOL2D(8),
  AVERAGE_POOL2D(9),
  QUANTIZED_AVERAGE_POOL2D(10),
  QUANTIZE(11),
  DEQUANTIZE(12),
  REQUANTIZE(13),
  L2_NORMALIZATION(14),
  SOFTMAX(15),
  CONCAT(16),
  QUANTIZED_CONCAT(17),
  FULLY_CONNECTED(18),
  QUANTIZED_FULLY_CONNECTED(19),
  TENSORFLOW_FLATTEN(20),
  QUANTIZED_TENSORFLOW_FLATTEN(21),
  RESIZE_NEAREST_NEIGHBOR(22),
  QUANTIZED_RESIZE_NEAREST_NEIGHBOR(23),
  CHANNELWISE_DEQUANTIZE(24),
  LOGISTIC(25),
  K210_CONV(10240),
  K210_ADD_PADDING(10241),
  K210_REMOVE_PADDING(10242),
  K210_UPLOAD(10243);

  private final int code;

  LayerType(int code) {
    this.code = code;
  }

  /** The {@code kpu_model_layer_type_t} value written in the layer header. */
  public int code() {
    return code;
  }

  /** The type with this code, or null when the code is not a v3 layer type. */
  public static LayerType ofCode(long code) {
    for (LayerType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
