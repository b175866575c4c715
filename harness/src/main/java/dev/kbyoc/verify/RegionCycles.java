package dev.kbyoc.verify;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Contracts the original graph by region (every op of one external function becomes one node,
 * host ops stay single) and looks for a cycle: a region that needs, through host ops or other
 * regions, a value it produces itself cannot be one function — the restriction that
 * MergeCompilerRegions must respect.
 */
final class RegionCycles {
  private RegionCycles() {}

  /** A cycle as a list of group names, or null when the contracted graph is acyclic. */
  static List<String> find(Expr originalBody, Map<Span, String> regionOf) {
    Map<Expr, Set<Call>> producers = new IdentityHashMap<>();
    Map<String, Set<String>> edges = new LinkedHashMap<>();
    for (Expr e : PostOrder.of(originalBody)) {
      Set<Call> mine = new LinkedHashSet<>();
      if (e instanceof Call c && c.op() instanceof Op && !MergedRegions.isAnnotation(c)) {
        String g = group(c, regionOf);
        edges.computeIfAbsent(g, k -> new LinkedHashSet<>());
        for (Expr a : c.args()) {
          for (Call p : producers.getOrDefault(a, Set.of())) {
            String pg = group(p, regionOf);
            if (!pg.equals(g)) {
              edges.computeIfAbsent(pg, k -> new LinkedHashSet<>()).add(g);
            }
          }
        }
        mine.add(c);
      } else {
        for (Expr k : PostOrder.children(e)) {
          mine.addAll(producers.getOrDefault(k, Set.of()));
        }
      }
      producers.put(e, mine);
    }
    return cycle(edges);
  }

  private static String group(Call c, Map<Span, String> regionOf) {
    String r = regionOf.get(c.span());
    return r != null ? "@" + r : "host:" + c.describe();
  }

  private static List<String> cycle(Map<String, Set<String>> edges) {
    Map<String, Integer> state = new HashMap<>();
    for (String start : edges.keySet()) {
      if (state.containsKey(start)) {
        continue;
      }
      List<String> path = new ArrayList<>();
      List<java.util.Iterator<String>> its = new ArrayList<>();
      path.add(start);
      its.add(edges.getOrDefault(start, Set.of()).iterator());
      state.put(start, 1);
      while (!path.isEmpty()) {
        java.util.Iterator<String> it = its.get(its.size() - 1);
        if (it.hasNext()) {
          String n = it.next();
          Integer s = state.get(n);
          if (s == null) {
            state.put(n, 1);
            path.add(n);
            its.add(edges.getOrDefault(n, Set.of()).iterator());
          } else if (s == 1) {
            List<String> cyc = new ArrayList<>(path.subList(path.indexOf(n), path.size()));
            cyc.add(n);
            return cyc;
          }
        } else {
          state.put(path.remove(path.size() - 1), 2);
          its.remove(its.size() - 1);
        }
      }
    }
    return null;
  }
}
