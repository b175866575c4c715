package dev.kbyoc.onnx;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;

/**
 * Typed access to one node's attributes with ONNX defaults. A present attribute of the wrong
 * kind is a malformed model and fails naming the node and attribute.
 */
final class NodeAttrs {
  private final String where;
  private final Map<String, AttributeProto> attrs = new LinkedHashMap<>();

  NodeAttrs(NodeProto node, String where) {
    this.where = where;
    for (AttributeProto a : node.getAttributeList()) {
      attrs.put(a.getName(), a);
    }
  }

  boolean has(String name) {
    return attrs.containsKey(name);
  }

  private AttributeProto get(String name, AttributeProto.AttributeType kind) {
    AttributeProto a = attrs.get(name);
    if (a == null) {
      return null;
    }
    // Old exporters leave `type` unset; accept that when the expected field is populated.
    if (a.getType() != kind && a.getType() != AttributeProto.AttributeType.UNDEFINED) {
      throw new KbyocException(where + ": attribute '" + name + "' is " + a.getType() + ", expected " + kind);
    }
    return a;
  }

  long getLong(String name, long def) {
    AttributeProto a = get(name, AttributeProto.AttributeType.INT);
    return a == null ? def : a.getI();
  }

  int getInt(String name, int def) {
    long v = getLong(name, def);
    if (v != (int) v) {
      throw new KbyocException(where + ": attribute '" + name + "' value " + v + " is out of range");
    }
    return (int) v;
  }

  double getFloat(String name, double def) {
    AttributeProto a = get(name, AttributeProto.AttributeType.FLOAT);
    return a == null ? def : a.getF();
  }

  String getString(String name, String def) {
    AttributeProto a = get(name, AttributeProto.AttributeType.STRING);
    return a == null ? def : a.getS().toStringUtf8();
  }

  /** An INTS attribute, or null when absent. */
  long[] getInts(String name) {
    AttributeProto a = get(name, AttributeProto.AttributeType.INTS);
    if (a == null) {
      return null;
    }
    List<Long> l = a.getIntsList();
    long[] out = new long[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = l.get(i);
    }
    return out;
  }

  /** An INTS attribute as ints, or {@code def} when absent. */
  int[] getIntArray(String name, int[] def) {
    long[] l = getInts(name);
    if (l == null) {
      return def;
    }
    int[] out = new int[l.length];
    for (int i = 0; i < l.length; i++) {
      out[i] = Math.toIntExact(l[i]);
    }
    return out;
  }

  /** A FLOATS attribute, or null when absent. */
  float[] getFloats(String name) {
    AttributeProto a = get(name, AttributeProto.AttributeType.FLOATS);
    if (a == null) {
      return null;
    }
    float[] out = new float[a.getFloatsCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.getFloats(i);
    }
    return out;
  }

  /** A TENSOR attribute as an NDArray, or null when absent. */
  NDArray getTensor(String name) {
    AttributeProto a = get(name, AttributeProto.AttributeType.TENSOR);
    return a == null ? null : TensorProtos.toNDArray(a.getT(), where + " attribute '" + name + "'");
  }

  /** Names of all attributes present. */
  java.util.Set<String> names() {
    return attrs.keySet();
  }
}
