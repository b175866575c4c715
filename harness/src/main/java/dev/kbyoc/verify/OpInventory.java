package dev.kbyoc.verify;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The op calls of a module, identified by source span (passes keep the span of every call they
 * copy, so the span is the op's identity across partitioning), each with the function that holds
 * it. Annotation ops are listed separately: after partitioning there must be none.
 */
final class OpInventory {
  static final String BEGIN = "annotation.compiler_begin";
  static final String END = "annotation.compiler_end";

  /** One op call and where it lives. */
  record Site(Call call, String function, String compiler) {}

  final Map<Span, List<Site>> bySpan = new LinkedHashMap<>();
  final List<Site> annotations = new ArrayList<>();
  final List<Site> anonymous = new ArrayList<>();

  static OpInventory of(IRModule m) {
    OpInventory inv = new OpInventory();
    for (Map.Entry<String, Function> f : m.functions().entrySet()) {
      inv.collect(f.getKey(), f.getValue(), f.getValue().compiler());
    }
    return inv;
  }

  private void collect(String fn, Function f, String compiler) {
    for (Expr e : PostOrder.of(f.body())) {
      if (e instanceof Function inner && inner != f) {
        // A fused or local function literal: its ops belong to the enclosing function.
        continue;
      }
      if (!(e instanceof Call c) || !(c.op() instanceof Op op)) {
        continue;
      }
      Site s = new Site(c, fn, compiler);
      if (op.name().equals(BEGIN) || op.name().equals(END)) {
        annotations.add(s);
      } else if (!c.span().isKnown()) {
        anonymous.add(s);
      } else {
        bySpan.computeIfAbsent(c.span(), k -> new ArrayList<>()).add(s);
      }
    }
  }

  /** The single site of a span, or null. */
  Site only(Span s) {
    List<Site> l = bySpan.get(s);
    return l == null || l.size() != 1 ? null : l.get(0);
  }
}
