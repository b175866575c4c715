package dev.kbyoc.ir.text;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.FuncType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.TupleType;
import dev.kbyoc.ir.Type;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * How TVM v0.8's text printer renders types, attribute values and scalar literals
 * (src/printer/relay_text_printer.cc): {@code Tensor[(1, 16), float32]}, {@code Tensor[(16), float32]}
 * (no trailing comma for rank 1), scalar types as their dtype, tuple types {@code (T,)};
 * attributes {@code key=value} with ints as is, floats with an {@code f} suffix, strings quoted
 * without escapes, booleans {@code True}/{@code False}, lists {@code [1, 1]}.
 */
final class TextFormat {
  private TextFormat() {}

  static String type(Type t) {
    if (t instanceof TensorType tt) {
      if (tt.rank() == 0) {
        return tt.dtype().relayName();
      }
      StringJoiner j = new StringJoiner(", ", "Tensor[(", "), " + tt.dtype().relayName() + "]");
      for (int d : tt.shape()) {
        j.add(Integer.toString(d));
      }
      return j.toString();
    }
    if (t instanceof TupleType tu) {
      StringJoiner j = new StringJoiner(", ", "(", tu.fields().size() == 1 ? ",)" : ")");
      for (Type f : tu.fields()) {
        j.add(type(f));
      }
      return j.toString();
    }
    FuncType f = (FuncType) t;
    StringJoiner j = new StringJoiner(", ", "fn (", ") -> " + type(f.ret()));
    for (Type p : f.params()) {
      j.add(type(p));
    }
    return j.toString();
  }

  /** {@code key=value} entries in order. */
  static void attrs(Map<String, Object> attrs, List<String> out) {
    for (Map.Entry<String, Object> e : attrs.entrySet()) {
      out.add(e.getKey() + "=" + value(e.getValue()));
    }
  }

  static String value(Object v) {
    if (v instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (v instanceof String s) {
      return "\"" + s + "\"";
    }
    if (v instanceof Double d) {
      return CNumber.shortestDouble(d) + "f";
    }
    if (v instanceof Float f) {
      return CNumber.shortestDouble(f) + "f";
    }
    if (v instanceof List<?> l) {
      StringJoiner j = new StringJoiner(", ", "[", "]");
      for (Object o : l) {
        j.add(value(o));
      }
      return j.toString();
    }
    return String.valueOf(v);
  }

  /** The literal of a scalar constant TVM prints inline, or null when it goes to the meta table. */
  static String scalarLiteral(NDArray a) {
    if (a.rank() != 0) {
      return null;
    }
    DType d = a.dtype();
    return switch (d) {
      case INT32 -> Long.toString(a.getLong(0));
      case INT64 -> a.getLong(0) + "i64";
      case FLOAT32 -> CNumber.shortestFloat(a.floatData()[0]) + "f";
      case BOOL -> a.getLong(0) != 0 ? "True" : "False";
      default -> null;
    };
  }
}
