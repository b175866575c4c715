package dev.kbyoc.kendryte.format;

import java.util.List;

/**
 * The body layout of every CPU-side kmodel v3 layer: the fixed 32-bit fields in file order, named
 * as in the SDK's {@code kpu_model_*_layer_argument_t} structs, plus the variable tail.
 *
 * <p>Layouts come from {@code kpu.h} where the SDK defines a struct. nncase v0.1.0-rc5 adds
 * MAX_POOL2D (the AVERAGE_POOL2D layout, with {@code act}). The SDK runtime defines no layout for
 * GLOBAL_MAX_POOL2D, QUANTIZED_GLOBAL_MAX_POOL2D, QUANTIZED_GLOBAL_AVERAGE_POOL2D,
 * QUANTIZED_AVERAGE_POOL2D, QUANTIZED_TENSORFLOW_FLATTEN and QUANTIZED_FULLY_CONNECTED (its
 * {@code ai_step} asserts "Layer is not supported"); kbyoc gives them the layout of their float
 * sibling (gap2d, quant max pool, tf flatten) and, for QUANTIZED_FULLY_CONNECTED, a TFLite-style
 * layout with uint8 weights and int32 bias. Those files load in kbyoc only, not on a board.
 */
public final class LayerSchema {
  /** How a fixed field's 32 bits are interpreted. */
  public enum Kind { U32, I32, F32 }

  /** One fixed 32-bit field. */
  public record Field(String name, Kind kind) {}

  /** The variable part after the fixed fields. */
  public enum Tail {
    /** Nothing. */
    NONE,
    /** FULLY_CONNECTED: float weights[in_channels * out_channels] then float bias[out_channels]. */
    FC_FLOATS,
    /** QUANTIZED_FULLY_CONNECTED: uint8 weights[in * out] then int32 bias[out]. */
    QFC_WEIGHTS,
    /** REQUANTIZE: uint8 table[256]. */
    TABLE256,
    /** CONCAT: input_count {@code kpu_model_memory_range_t} (start, size). */
    RANGES,
    /** CHANNELWISE_DEQUANTIZE: channels {@code kpu_model_quant_param_t} (scale, bias). */
    QUANT_PARAMS
  }

  private final List<Field> fields;
  private final Tail tail;

  private LayerSchema(List<Field> fields, Tail tail) {
    this.fields = fields;
    this.tail = tail;
  }

  public List<Field> fields() {
    return fields;
  }

  public Tail tail() {
    return tail;
  }

  /** Byte size of the fixed fields. */
  public int fixedSize() {
    return fields.size() * 4;
  }

  /** Index of a field by name, or -1. */
  public int indexOf(String name) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static Field u(String n) {
    return new Field(n, Kind.U32);
  }

  private static Field i(String n) {
    return new Field(n, Kind.I32);
  }

  private static Field f(String n) {
    return new Field(n, Kind.F32);
  }

  private static LayerSchema of(Tail tail, Field... fs) {
    return new LayerSchema(List.of(fs), tail);
  }

  private static final Field FLAGS = u("flags");
  private static final Field IN = u("main_mem_in_address");
  private static final Field OUT = u("main_mem_out_address");

  private static final Field[] POOL = {
    FLAGS, IN, OUT, u("in_width"), u("in_height"), u("in_channels"), u("out_width"), u("out_height"),
    u("out_channels"), u("kernel_width"), u("kernel_height"), u("stride_width"), u("stride_height"),
    u("padding_width"), u("padding_height")
  };

  private static Field[] poolWithAct() {
    Field[] r = java.util.Arrays.copyOf(POOL, POOL.length + 1);
    r[POOL.length] = u("act");
    return r;
  }

  /** The schema of a CPU layer type; K210_CONV has its own class and INVALID none. */
  public static LayerSchema of(LayerType type) {
    return switch (type) {
      case ADD -> of(Tail.NONE, FLAGS, u("main_mem_in_a_address"), u("main_mem_in_b_address"), OUT, u("count"));
      case QUANTIZED_ADD -> of(Tail.NONE, FLAGS, u("main_mem_in_a_address"), u("main_mem_in_b_address"), OUT,
          u("count"), i("in_a_offset"), i("in_a_mul"), i("in_a_shift"), i("in_b_offset"), i("in_b_mul"),
          i("in_b_shift"), i("out_offset"), i("out_mul"), i("out_shift"));
      case GLOBAL_MAX_POOL2D, QUANTIZED_GLOBAL_MAX_POOL2D, GLOBAL_AVERAGE_POOL2D, QUANTIZED_GLOBAL_AVERAGE_POOL2D ->
          of(Tail.NONE, FLAGS, IN, OUT, u("kernel_size"), u("channels"));
      case QUANTIZED_MAX_POOL2D, QUANTIZED_AVERAGE_POOL2D -> of(Tail.NONE, POOL);
      case MAX_POOL2D, AVERAGE_POOL2D -> of(Tail.NONE, poolWithAct());
      case QUANTIZE -> of(Tail.NONE, FLAGS, IN, u("mem_out_address"), u("count"), f("scale"), f("bias"));
      case DEQUANTIZE -> of(Tail.NONE, FLAGS, IN, OUT, u("count"), f("scale"), f("bias"));
      case REQUANTIZE -> of(Tail.TABLE256, FLAGS, IN, OUT, u("count"));
      case L2_NORMALIZATION, SOFTMAX, LOGISTIC, K210_REMOVE_PADDING -> of(Tail.NONE, FLAGS, IN, OUT, u("channels"));
      case CONCAT, QUANTIZED_CONCAT -> of(Tail.RANGES, FLAGS, OUT, u("input_count"));
      case FULLY_CONNECTED -> of(Tail.FC_FLOATS, FLAGS, IN, OUT, u("in_channels"), u("out_channels"), u("act"));
      case QUANTIZED_FULLY_CONNECTED -> of(Tail.QFC_WEIGHTS, FLAGS, IN, OUT, u("in_channels"), u("out_channels"),
          i("input_offset"), i("weights_offset"), i("output_mul"), i("output_shift"), i("output_offset"));
      case TENSORFLOW_FLATTEN, QUANTIZED_TENSORFLOW_FLATTEN -> of(Tail.NONE, FLAGS, IN, OUT, u("width"), u("height"),
          u("channels"));
      case RESIZE_NEAREST_NEIGHBOR, QUANTIZED_RESIZE_NEAREST_NEIGHBOR -> of(Tail.NONE, FLAGS, IN, OUT, u("in_width"),
          u("in_height"), u("in_channels"), u("out_width"), u("out_height"), u("align_corners"));
      case CHANNELWISE_DEQUANTIZE -> of(Tail.QUANT_PARAMS, FLAGS, IN, OUT, u("channels"), u("channel_size"));
      case K210_ADD_PADDING -> of(Tail.NONE, FLAGS, IN, u("kpu_mem_out_address"), u("channels"));
      case K210_UPLOAD -> of(Tail.NONE, FLAGS, IN, u("kpu_mem_out_address"), u("width"), u("height"), u("channels"));
      case K210_CONV, INVALID -> throw new IllegalArgumentException("no CPU schema for " + type);
    };
  }

  /**
   * Byte length of the tail given the fixed field values, or -1 when it overflows {@code limit}.
   * Computed in long arithmetic so absurd counts cannot wrap around.
   */
  public long tailSize(long[] values) {
    try {
      return switch (tail) {
        case NONE -> 0;
        case FC_FLOATS -> Math.multiplyExact(4L, Math.addExact(Math.multiplyExact(values[3], values[4]), values[4]));
        case QFC_WEIGHTS -> Math.addExact(Math.multiplyExact(values[3], values[4]), 4L * values[4]);
        case TABLE256 -> 256;
        case RANGES -> 8L * values[2];
        case QUANT_PARAMS -> 8L * values[3];
      };
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE; // fields from a hostile file: larger than any body, rejected by the reader
    }
  }
}
