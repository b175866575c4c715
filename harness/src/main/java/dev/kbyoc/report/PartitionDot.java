package dev.kbyoc.report;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Graphviz source of a partitioned module's {@code main}: inputs as notes, host ops as ellipses,
 * each call of an external function as one filled box labelled with its name, compiler and the ops
 * it holds (in order, with counts), and the data flow between them. Tuples and TupleGetItems are
 * looked through; constants are not drawn.
 */
public final class PartitionDot {
  private static final String[] FILLS = {"#aed6f1", "#f9e79f", "#d2b4de", "#a9dfbf", "#f5cba7"};

  private PartitionDot() {}

  /** The DOT text for {@code module}'s main function. */
  public static String of(IRModule module) {
    Map<Expr, String> ids = new IdentityHashMap<>();
    Map<String, String> fills = new LinkedHashMap<>();
    StringBuilder nodes = new StringBuilder();
    StringBuilder edges = new StringBuilder();
    Function main = module.main();
    for (Var p : main.params()) {
      String id = "n" + ids.size();
      ids.put(p, id);
      nodes.append("  ").append(id).append(" [shape=note, label=\"").append(dot(p.name())).append("\"];\n");
    }
    for (Expr e : PostOrder.of(main.body())) {
      if (!(e instanceof Call c)) {
        continue;
      }
      String id = "n" + ids.size();
      ids.put(c, id);
      if (c.op() instanceof GlobalVar g && module.has(g.name()) && module.get(g.name()).compiler() != null) {
        Function ext = module.get(g.name());
        String fill = fills.computeIfAbsent(ext.compiler(), k -> FILLS[fills.size() % FILLS.length]);
        nodes.append("  ").append(id).append(" [shape=box, style=\"filled,rounded\", fillcolor=\"").append(fill)
            .append("\", label=\"").append(dot(g.name() + " (" + ext.compiler() + ")")).append("\\n")
            .append(dot(opSummary(ext))).append("\"];\n");
      } else {
        String label = c.opOrNull() != null ? c.opOrNull().name()
            : c.op() instanceof GlobalVar g ? "@" + g.name() : "call";
        nodes.append("  ").append(id).append(" [shape=ellipse, label=\"").append(dot(label)).append("\"];\n");
      }
      for (Expr a : c.args()) {
        for (String from : producers(a, ids)) {
          edges.append("  ").append(from).append(" -> ").append(id).append(";\n");
        }
      }
    }
    String out = "n" + ids.size();
    nodes.append("  ").append(out).append(" [shape=plaintext, label=\"output\"];\n");
    for (String from : producers(main.body(), ids)) {
      edges.append("  ").append(from).append(" -> ").append(out).append(";\n");
    }
    return "digraph partition {\n  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=10];\n"
        + nodes + edges + "}\n";
  }

  /** The ops an external function calls, in post-order, as {@code "nn.conv2d x2, nn.relu"}. */
  static String opSummary(Function f) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Expr e : PostOrder.of(f.body())) {
      if (e instanceof Call c && c.opOrNull() != null) {
        counts.merge(c.opOrNull().name(), 1, Integer::sum);
      }
    }
    StringBuilder sb = new StringBuilder();
    counts.forEach((op, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(op).append(n > 1 ? " x" + n : ""));
    return sb.toString();
  }

  /** Drawn nodes whose values flow into {@code e}. */
  private static Set<String> producers(Expr e, Map<Expr, String> ids) {
    Set<String> out = new LinkedHashSet<>();
    if (ids.containsKey(e)) {
      out.add(ids.get(e));
    } else if (e instanceof Tuple t) {
      t.fields().forEach(f -> out.addAll(producers(f, ids)));
    } else if (e instanceof TupleGetItem g) {
      out.addAll(producers(g.tuple(), ids));
    }
    return out;
  }

  /** Escapes text for a double-quoted DOT string. */
  static String dot(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
