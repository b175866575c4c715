package dev.kbyoc.cli;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import dev.kbyoc.op.AnnotationOps;
import dev.kbyoc.pass.AnnotatedRegionSet;
import dev.kbyoc.pass.AnnotatedRegionSet.Region;
import dev.kbyoc.pass.DataflowOrder;
import dev.kbyoc.pass.PartitionGraph;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Graphviz for {@code partition --dot}: the merged graph of {@code main} with each region that
 * PartitionGraph lifts drawn as a cluster named like its function ({@code kendryte_0}) and filled
 * with its target's colour; host nodes stay outside. Annotations are not drawn (edges go through
 * them).
 */
final class PartitionDot {
  private static final String[] PALETTE = {"#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6", "#fb9a99", "#ffff99"};

  private PartitionDot() {}

  static String render(Function merged) {
    PartitionGraph.Regions rs = PartitionGraph.regions(merged);
    AnnotatedRegionSet regions = rs.regions();
    List<Expr> nodes = new ArrayList<>();
    Map<Expr, String> ids = new IdentityHashMap<>();
    for (Expr e : PostOrder.of(rs.function().body())) {
      if (isAnnotation(e) || e instanceof dev.kbyoc.ir.Op || e instanceof Function) {
        continue;
      }
      ids.put(e, "n" + ids.size());
      nodes.add(e);
    }
    TreeSet<String> targets = new TreeSet<>();
    Map<Region, List<Expr>> byRegion = new LinkedHashMap<>();
    List<Expr> host = new ArrayList<>();
    for (Expr e : nodes) {
      Region r = e instanceof Var || e instanceof Constant ? null : regions.regionOf(e);
      if (r == null) {
        host.add(e);
      } else {
        byRegion.computeIfAbsent(r, k -> new ArrayList<>()).add(e);
        targets.add(r.target());
      }
    }
    List<String> targetList = new ArrayList<>(targets);
    StringBuilder b = new StringBuilder("digraph partition {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n");
    for (Expr e : host) {
      b.append("  ").append(node(e, ids)).append('\n');
    }
    for (Map.Entry<Region, List<Expr>> g : byRegion.entrySet()) {
      Region r = g.getKey();
      String colour = PALETTE[targetList.indexOf(r.target()) % PALETTE.length];
      b.append("  subgraph cluster_").append(r.target()).append('_').append(r.id()).append(" {\n")
          .append("    label=\"").append(r.target()).append('_').append(r.id()).append("\";\n")
          .append("    style=filled; fillcolor=\"").append(colour).append("\";\n");
      for (Expr e : g.getValue()) {
        b.append("    ").append(node(e, ids)).append('\n');
      }
      b.append("  }\n");
    }
    for (Expr e : nodes) {
      for (Expr a : DataflowOrder.inputs(e)) {
        Expr src = through(a);
        if (ids.containsKey(src)) {
          b.append("  ").append(ids.get(src)).append(" -> ").append(ids.get(e)).append(";\n");
        }
      }
    }
    return b.append("}\n").toString();
  }

  private static boolean isAnnotation(Expr e) {
    return e instanceof Call c && (c.isOp(AnnotationOps.COMPILER_BEGIN) || c.isOp(AnnotationOps.COMPILER_END));
  }

  private static Expr through(Expr e) {
    while (isAnnotation(e)) {
      e = ((Call) e).arg(0);
    }
    return e;
  }

  private static String node(Expr e, Map<Expr, String> ids) {
    String label;
    String shape = "box";
    if (e instanceof Var v) {
      label = "%" + v.name();
      shape = "ellipse";
    } else if (e instanceof Constant c) {
      label = "const " + c.data().type();
      shape = "note";
    } else if (e instanceof Call c) {
      String op = c.opOrNull() != null ? c.opOrNull().name() : c.op().describe();
      String where = c.describe();
      label = where.startsWith(op + "@") ? where : where + "\\n" + op;
    } else if (e instanceof Tuple) {
      label = "tuple";
      shape = "point";
    } else {
      label = "." + ((TupleGetItem) e).index();
      shape = "circle";
    }
    return ids.get(e) + " [label=" + PartitionJson.str(label).replace("\\\\n", "\\n") + ", shape=" + shape + "];";
  }
}
