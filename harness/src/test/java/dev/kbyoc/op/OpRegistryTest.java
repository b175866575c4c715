package dev.kbyoc.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.AttrSpec;
import dev.kbyoc.ir.Op;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The registry against TVM v0.8: attribute names in declaration order (include/tvm/relay/attrs/
 * nn.h, transform.h, image.h, reduce.h) and TOpPattern as registered in src/relay/op and
 * python/tvm/relay/op (ops without a registration default to opaque).
 */
class OpRegistryTest {

  private static Map<String, List<String>> tvmAttrs() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    List<String> pool = List.of("pool_size", "strides", "dilation", "padding", "layout", "out_layout", "ceil_mode");
    m.put("nn.conv2d", List.of("strides", "padding", "dilation", "groups", "channels", "kernel_size", "data_layout",
        "kernel_layout", "out_layout", "out_dtype"));
    m.put("nn.conv2d_transpose", List.of("channels", "kernel_size", "strides", "output_padding", "padding", "dilation",
        "groups", "data_layout", "kernel_layout", "out_layout", "out_dtype"));
    m.put("nn.dense", List.of("units", "out_dtype"));
    m.put("nn.bias_add", List.of("axis"));
    m.put("nn.batch_norm", List.of("axis", "epsilon", "center", "scale"));
    m.put("nn.leaky_relu", List.of("alpha"));
    m.put("nn.softmax", List.of("axis"));
    m.put("nn.max_pool2d", pool);
    m.put("nn.avg_pool2d", List.of("pool_size", "strides", "dilation", "padding", "layout", "out_layout", "ceil_mode",
        "count_include_pad"));
    m.put("nn.global_avg_pool2d", List.of("layout", "out_layout"));
    m.put("nn.pad", List.of("pad_width", "pad_mode"));
    m.put("nn.dropout", List.of("rate"));
    m.put("clip", List.of("a_min", "a_max"));
    m.put("cast", List.of("dtype"));
    m.put("reshape", List.of("newshape"));
    m.put("transpose", List.of("axes"));
    m.put("concatenate", List.of("axis"));
    m.put("squeeze", List.of("axis"));
    m.put("expand_dims", List.of("axis", "num_newaxis"));
    m.put("mean", List.of("axis", "keepdims", "exclude"));
    // TVM v0.8's Resize2DAttrs, then kbyoc's "scale" extension (stored only when set)
    m.put("image.resize2d", List.of("size", "roi", "layout", "method", "coordinate_transformation_mode", "rounding_method",
        "cubic_alpha", "cubic_exclude", "extrapolation_value", "out_dtype", "scale"));
    m.put("sum", List.of("axis", "keepdims", "exclude"));
    m.put("max", List.of("axis", "keepdims", "exclude"));
    m.put("min", List.of("axis", "keepdims", "exclude"));
    m.put("strided_slice", List.of("begin", "end", "strides", "slice_mode", "axes"));
    m.put("take", List.of("batch_dims", "axis", "mode"));
    m.put("nn.batch_matmul", List.of("out_dtype", "transpose_a", "transpose_b"));
    m.put("nn.max_pool3d", List.of("pool_size", "strides", "dilation", "padding", "layout", "out_layout", "ceil_mode"));
    m.put("nn.avg_pool3d", List.of("pool_size", "strides", "dilation", "padding", "layout", "out_layout", "ceil_mode",
        "count_include_pad"));
    m.put("nn.conv3d_transpose", List.of("channels", "kernel_size", "strides", "padding", "output_padding", "dilation",
        "groups", "data_layout", "kernel_layout", "out_layout", "out_dtype"));
    for (String op : List.of("nn.relu", "sigmoid", "tanh", "exp", "log", "abs", "sqrt", "negative", "add", "subtract",
        "multiply", "divide", "power", "maximum", "minimum", "nn.batch_flatten")) {
      m.put(op, List.of());
    }
    return m;
  }

  @Test
  void everyRequiredOpHasTvmAttributeNamesInOrder() {
    tvmAttrs().forEach((op, names) -> {
      assertTrue(Op.exists(op), () -> op + " is not registered");
      List<String> got = OpDef.of(op).attrs().stream().map(AttrSpec::name).toList();
      assertEquals(names, got, op);
    });
  }

  @Test
  void defaultsMatchTvm() {
    assertEquals(List.of(1L, 1L), def("nn.conv2d", "strides"));
    assertEquals(List.of(0L, 0L), def("nn.conv2d", "padding"));
    assertEquals(1L, def("nn.conv2d", "groups"));
    assertEquals(null, def("nn.conv2d", "channels"));
    assertEquals("OIHW", def("nn.conv2d", "kernel_layout"));
    assertEquals("OIHW", def("nn.conv2d_transpose", "kernel_layout"));
    assertEquals(1e-5, def("nn.batch_norm", "epsilon"));
    assertEquals(0.25, def("nn.leaky_relu", "alpha"));
    assertEquals(-1L, def("nn.softmax", "axis"));
    assertEquals(false, def("nn.avg_pool2d", "count_include_pad"));
    assertEquals("constant", def("nn.pad", "pad_mode"));
    assertEquals(0L, def("concatenate", "axis"));
    assertEquals(1L, def("expand_dims", "num_newaxis"));
    assertEquals("linear", def("image.resize2d", "method"));
    assertEquals("half_pixel", def("image.resize2d", "coordinate_transformation_mode"));
    assertEquals("round", def("image.resize2d", "rounding_method"));
  }

  private static Object def(String op, String attr) {
    return OpDef.of(op).attrs().stream().filter(a -> a.name().equals(attr)).findFirst().orElseThrow().defaultValue();
  }

  @Test
  void patternsMatchTvmRegistrations() {
    Map<OpPattern, List<String>> want = Map.of(
        OpPattern.ELEMWISE, List.of("nn.relu", "nn.leaky_relu", "clip", "sigmoid", "tanh", "exp", "log", "abs", "sqrt",
            "negative", "cast"),
        OpPattern.BROADCAST, List.of("add", "subtract", "multiply", "divide", "power", "maximum", "minimum", "nn.bias_add",
            "expand_dims"),
        OpPattern.INJECTIVE, List.of("nn.pad", "reshape", "transpose", "concatenate", "squeeze", "nn.batch_flatten",
            "image.resize2d", "strided_slice", "take"),
        OpPattern.COMM_REDUCE, List.of("mean", "sum", "max", "min"),
        OpPattern.OUT_ELEMWISE_FUSABLE, List.of("nn.conv2d", "nn.conv2d_transpose", "nn.dense", "nn.batch_matmul", "nn.max_pool2d",
            "nn.avg_pool2d", "nn.global_avg_pool2d", "nn.softmax"),
        OpPattern.OPAQUE, List.of("nn.batch_norm", "nn.dropout"));
    want.forEach((p, ops) -> ops.forEach(op -> assertEquals(p, OpDef.of(op).pattern(), op)));
  }

  @Test
  void inputCounts() {
    assertEquals(5, OpDef.of("nn.batch_norm").numInputs());
    assertEquals(2, OpDef.of("nn.pad").numInputs());
    assertEquals(1, OpDef.of("concatenate").numInputs());
    assertEquals(2, OpDef.of("nn.conv2d").numInputs());
  }
}
