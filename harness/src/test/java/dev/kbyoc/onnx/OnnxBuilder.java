package dev.kbyoc.onnx;

import dev.kbyoc.ir.NDArray;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;

/** Builds small ONNX models in tests (float32 inputs/outputs unless given otherwise). */
final class OnnxBuilder {
  private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");
  private int opset = 13;
  private String domain = "";

  static OnnxBuilder create() {
    return new OnnxBuilder();
  }

  OnnxBuilder opset(int v) {
    this.opset = v;
    return this;
  }

  OnnxBuilder opsetDomain(String d) {
    this.domain = d;
    return this;
  }

  /** A float32 input; a negative dim becomes a symbolic dim named "N". */
  OnnxBuilder input(String name, int... shape) {
    graph.addInput(valueInfo(name, TensorProto.DataType.FLOAT_VALUE, shape));
    return this;
  }

  OnnxBuilder output(String name, int... shape) {
    graph.addOutput(valueInfo(name, TensorProto.DataType.FLOAT_VALUE, shape));
    return this;
  }

  OnnxBuilder initializer(String name, NDArray value) {
    graph.addInitializer(TensorProtos.fromNDArray(value, name));
    return this;
  }

  OnnxBuilder rawInitializer(TensorProto t) {
    graph.addInitializer(t);
    return this;
  }

  /** A node; attrs alternate name, value (Long, Double, String, long[], float[], NDArray). */
  OnnxBuilder node(String op, String name, String[] inputs, String[] outputs, Object... attrs) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name);
    for (String i : inputs) {
      n.addInput(i);
    }
    for (String o : outputs) {
      n.addOutput(o);
    }
    for (int i = 0; i < attrs.length; i += 2) {
      n.addAttribute(attr((String) attrs[i], attrs[i + 1]));
    }
    graph.addNode(n);
    return this;
  }

  OnnxBuilder node(NodeProto n) {
    graph.addNode(n);
    return this;
  }

  static AttributeProto attr(String name, Object v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
    if (v instanceof Integer || v instanceof Long) {
      a.setType(AttributeProto.AttributeType.INT).setI(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      a.setType(AttributeProto.AttributeType.FLOAT).setF(((Number) v).floatValue());
    } else if (v instanceof String s) {
      a.setType(AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8(s));
    } else if (v instanceof long[] l) {
      a.setType(AttributeProto.AttributeType.INTS);
      for (long x : l) {
        a.addInts(x);
      }
    } else if (v instanceof float[] f) {
      a.setType(AttributeProto.AttributeType.FLOATS);
      for (float x : f) {
        a.addFloats(x);
      }
    } else if (v instanceof NDArray t) {
      a.setType(AttributeProto.AttributeType.TENSOR).setT(TensorProtos.fromNDArray(t, ""));
    } else {
      throw new IllegalArgumentException("attribute value " + v);
    }
    return a.build();
  }

  static ValueInfoProto valueInfo(String name, int elemType, int... shape) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (int d : shape) {
      s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
          : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    TypeProto t = TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s)).build();
    return ValueInfoProto.newBuilder().setName(name).setType(t).build();
  }

  ModelProto model() {
    return ModelProto.newBuilder().setIrVersion(8).setProducerName("kbyoc-test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(opset))
        .setGraph(graph).build();
  }

  byte[] bytes() {
    return model().toByteArray();
  }

  OnnxModel load() {
    return OnnxImporter.fromBytes(bytes(), "test.onnx", OnnxImporter.Options.DEFAULT);
  }
}
