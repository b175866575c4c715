package dev.kbyoc.onnx;

import dev.kbyoc.ir.Expr;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import onnx.Onnx.NodeProto;

/**
 * The table of ONNX op types kbyoc imports, filled by the holder classes ({@link NnConverters},
 * {@link MathConverters}, {@link ActivationConverters}, {@link ShapeConverters}, {@link ResizeConverters},
 * {@link StaticConverters}), and the check that reports every unsupported op type at once.
 */
final class Converters {
  private static final Map<String, Converter> TABLE = build();

  private Converters() {}

  private static Map<String, Converter> build() {
    Map<String, Converter> m = new HashMap<>();
    NnConverters.register(m);
    MathConverters.register(m);
    ActivationConverters.register(m);
    ShapeConverters.register(m);
    ResizeConverters.register(m);
    StaticConverters.register(m);
    return Collections.unmodifiableMap(m);
  }

  /** The ONNX op types that have a converter. */
  static Set<String> supported() {
    return TABLE.keySet();
  }

  /**
   * Fails once, naming every op type without a converter with its count and node names, e.g.
   * {@code unsupported ONNX ops: LSTM x2 (nodes 'lstm1', 'lstm2'), TopK x1 (node #7)}.
   */
  static void checkSupported(String file, List<NodeProto> nodes) {
    Map<String, StringBuilder> names = new TreeMap<>();
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      NodeProto n = nodes.get(i);
      if (TABLE.containsKey(n.getOpType())) {
        continue;
      }
      String name = n.getName().isEmpty() ? "#" + i : "'" + n.getName() + "'";
      counts.merge(n.getOpType(), 1, Integer::sum);
      StringBuilder sb = names.computeIfAbsent(n.getOpType(), k -> new StringBuilder());
      sb.append(sb.length() == 0 ? "" : ", ").append(name);
    }
    if (counts.isEmpty()) {
      return;
    }
    StringBuilder msg = new StringBuilder(file).append(": unsupported ONNX ops: ");
    boolean first = true;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      msg.append(first ? "" : ", ").append(e.getKey()).append(" x").append(e.getValue())
          .append(" (node").append(e.getValue() > 1 ? "s " : " ").append(names.get(e.getKey())).append(')');
      first = false;
    }
    throw new OnnxUnsupportedException(msg.toString());
  }

  /**
   * Converts the context's current node. Arithmetic and index failures on a node's attribute or
   * input values (a corrupt file's huge dims, out-of-range axes) are that node's user error.
   */
  static List<Expr> convert(ImportContext cx) {
    try {
      return TABLE.get(cx.node().getOpType()).convert(cx);
    } catch (ArithmeticException | IllegalArgumentException | IndexOutOfBoundsException | NegativeArraySizeException e) {
      throw cx.error("invalid attribute or input values (" + e + ")");
    }
  }
}
