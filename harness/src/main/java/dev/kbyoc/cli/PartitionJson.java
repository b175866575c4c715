package dev.kbyoc.cli;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Span;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.op.AnnotationOps;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The {@code partition --json} summary of DESIGN.md: per external function its name, compiler,
 * ops, parameter, output and constant counts, then the ops left on the host. An op is named by its
 * {@code %} binding in the input text, else {@code <op>@line:col}; lists keep source order;
 * functions are ordered by region ID.
 */
final class PartitionJson {
  private PartitionJson() {}

  static String render(IRModule partitioned) {
    List<Map.Entry<String, Function>> ext = new ArrayList<>();
    for (Map.Entry<String, Function> e : partitioned.functions().entrySet()) {
      if (e.getValue().compiler() != null) {
        ext.add(e);
      }
    }
    ext.sort(Comparator.comparing((Map.Entry<String, Function> e) -> e.getValue().compiler())
        .thenComparingLong(e -> suffix(e.getKey())).thenComparing(Map.Entry::getKey));
    StringJoiner fs = new StringJoiner(", ", "[", "]");
    for (Map.Entry<String, Function> e : ext) {
      Function f = e.getValue();
      int constants = 0;
      for (Expr x : PostOrder.of(f.body())) {
        if (x instanceof Constant) {
          constants++;
        }
      }
      int outputs = f.body() instanceof Tuple t ? t.fields().size() : 1;
      fs.add("{\"name\": " + str(e.getKey()) + ", \"compiler\": " + str(f.compiler()) + ", \"ops\": " + ops(f)
          + ", \"params\": " + f.params().size() + ", \"outputs\": " + outputs + ", \"constants\": " + constants + "}");
    }
    return "{\"functions\": " + fs + ",\n \"host_ops\": " + ops(partitioned.main()) + "}";
  }

  private static long suffix(String name) {
    int i = name.lastIndexOf('_');
    try {
      return i < 0 ? Long.MAX_VALUE : Long.parseLong(name.substring(i + 1));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The op calls of a function, named as the user wrote them, in source order. */
  static String ops(Function f) {
    List<Call> calls = new ArrayList<>();
    for (Expr x : PostOrder.of(f.body())) {
      if (x instanceof Call c && c.opOrNull() != null && !c.isOp(AnnotationOps.COMPILER_BEGIN)
          && !c.isOp(AnnotationOps.COMPILER_END)) {
        calls.add(c);
      }
    }
    calls.sort(Comparator.comparingLong(PartitionJson::position));
    StringJoiner j = new StringJoiner(", ", "[", "]");
    for (Call c : calls) {
      j.add(str(c.describe()));
    }
    return j.toString();
  }

  private static long position(Call c) {
    Span s = c.span();
    return s.isKnown() ? (long) s.line() * 1_000_000L + s.col() : Long.MAX_VALUE;
  }

  static String str(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (ch < 0x20) {
            b.append(String.format("\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
