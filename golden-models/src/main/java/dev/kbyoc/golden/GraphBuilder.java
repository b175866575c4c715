package dev.kbyoc.golden;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;

/**
 * Writes an ONNX graph layer by layer, drawing every weight from one seeded generator so the same
 * code always yields the same bytes. Convolution weights are uniform with variance {@code 2/fan_in}
 * (He initialisation) to keep activations in a sane range through deep stacks; batch-norm
 * statistics are drawn near the identity. Layer methods return the name of their output tensor.
 */
final class GraphBuilder {
  static final int OPSET = 13;

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final SplittableRandom random;
  private int counter;

  GraphBuilder(String name, long seed) {
    graph.setName(name);
    this.random = new SplittableRandom(seed);
  }

  private String fresh(String prefix) {
    return prefix + "_" + counter++;
  }

  /** A float32 graph input. */
  String input(String name, int... shape) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (int d : shape) {
      s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    graph.addInput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))));
    return name;
  }

  /** Marks a tensor as a graph output (float32, shape left to the consumer). */
  void output(String name) {
    graph.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
  }

  /** A float32 initializer with values uniform in [lo, hi). */
  String weight(String prefix, double lo, double hi, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (lo + (hi - lo) * random.nextDouble());
    }
    return initializer(fresh(prefix), v, shape);
  }

  String initializer(String name, float[] values, int... shape) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .setRawData(ByteString.copyFrom(b.array()));
    for (int d : shape) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  /** A node with one output; attributes alternate name and value (Long, Double, String, long[]). */
  String node(String op, String[] inputs, Object... attrs) {
    String out = fresh(op.toLowerCase(java.util.Locale.ROOT));
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(out).addOutput(out);
    for (String i : inputs) {
      n.addInput(i);
    }
    for (int i = 0; i < attrs.length; i += 2) {
      n.addAttribute(attr((String) attrs[i], attrs[i + 1]));
    }
    graph.addNode(n);
    return out;
  }

  private static AttributeProto attr(String name, Object v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
    if (v instanceof Long l) {
      a.setType(AttributeProto.AttributeType.INT).setI(l);
    } else if (v instanceof Double d) {
      a.setType(AttributeProto.AttributeType.FLOAT).setF(d.floatValue());
    } else if (v instanceof String s) {
      a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
    } else {
      a.setType(AttributeProto.AttributeType.INTS);
      for (long x : (long[]) v) {
        a.addInts(x);
      }
    }
    return a.build();
  }

  /** Conv with He-initialised weights and a small bias; {@code group == cin} is depthwise. */
  String conv(String x, int cin, int cout, int k, int stride, int pad, int group) {
    double bound = Math.sqrt(6.0 / (cin / group * k * k));
    String w = weight("w", -bound, bound, cout, cin / group, k, k);
    String b = weight("b", -0.1, 0.1, cout);
    return node("Conv", new String[] {x, w, b}, "kernel_shape", new long[] {k, k},
        "strides", new long[] {stride, stride}, "pads", new long[] {pad, pad, pad, pad}, "group", (long) group);
  }

  /** Inference batch norm with statistics near the identity. */
  String bn(String x, int c) {
    String gamma = weight("gamma", 0.5, 1.5, c);
    String beta = weight("beta", -0.2, 0.2, c);
    String mean = weight("mean", -0.2, 0.2, c);
    String var = weight("var", 0.5, 1.5, c);
    return node("BatchNormalization", new String[] {x, gamma, beta, mean, var}, "epsilon", 1e-5);
  }

  String relu(String x) {
    return node("Relu", new String[] {x});
  }

  /** ReLU6 as exporters write it: Clip with constant min 0 and max 6 (opset 11+ input form). */
  String relu6(String x) {
    String lo = initializer(fresh("clip_min"), new float[] {0f});
    String hi = initializer(fresh("clip_max"), new float[] {6f});
    return node("Clip", new String[] {x, lo, hi});
  }

  String maxPool(String x, int k, int s) {
    return node("MaxPool", new String[] {x}, "kernel_shape", new long[] {k, k}, "strides", new long[] {s, s});
  }

  String globalAvgPool(String x) {
    return node("GlobalAveragePool", new String[] {x});
  }

  String flatten(String x) {
    return node("Flatten", new String[] {x}, "axis", 1L);
  }

  /** Fully connected {@code in -> out} as Gemm with transB = 1 (PyTorch's Linear export). */
  String gemm(String x, int in, int out) {
    double bound = Math.sqrt(6.0 / in);
    String w = weight("fc_w", -bound, bound, out, in);
    String b = weight("fc_b", -0.1, 0.1, out);
    return node("Gemm", new String[] {x, w, b}, "transB", 1L);
  }

  String add(String a, String b) {
    return node("Add", new String[] {a, b});
  }

  String concat(long axis, String... xs) {
    return node("Concat", xs, "axis", axis);
  }

  /** Nearest 2x upsampling as PyTorch exports it: Resize, asymmetric coordinates, floor. */
  String upsample2x(String x) {
    String roi = initializer(fresh("roi"), new float[0], 0);
    String scales = initializer(fresh("scales"), new float[] {1, 1, 2, 2}, 4);
    return node("Resize", new String[] {x, roi, scales}, "mode", "nearest",
        "coordinate_transformation_mode", "asymmetric", "nearest_mode", "floor");
  }

  ModelProto build() {
    return ModelProto.newBuilder().setIrVersion(8).setProducerName("kbyoc-golden").setProducerVersion("1")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph).build();
  }
}
