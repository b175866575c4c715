package dev.kbyoc.pass;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Op;
import dev.kbyoc.op.AnnotationOps;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Building and recognising {@code annotation.compiler_begin/end} calls. */
final class Annotations {
  /** The {@code compiler} attributes per target, shared (attributes are immutable). */
  private static final Map<String, Attrs> ATTRS = new ConcurrentHashMap<>();

  private Annotations() {}

  static boolean isBegin(Expr e) {
    return e instanceof Call c && c.isOp(AnnotationOps.COMPILER_BEGIN);
  }

  static boolean isEnd(Expr e) {
    return e instanceof Call c && c.isOp(AnnotationOps.COMPILER_END);
  }

  static boolean isAnnotation(Expr e) {
    return isBegin(e) || isEnd(e);
  }

  /** The {@code compiler} attribute of an annotation call. */
  static String compiler(Expr annotation) {
    return ((Call) annotation).attrs().getString("compiler");
  }

  static Call begin(Expr arg, String target) {
    return make(AnnotationOps.COMPILER_BEGIN, arg, target);
  }

  static Call end(Expr arg, String target) {
    return make(AnnotationOps.COMPILER_END, arg, target);
  }

  private static Call make(String op, Expr arg, String target) {
    Call c = new Call(Op.get(op), List.of(arg), ATTRS.computeIfAbsent(target, t -> Attrs.of("compiler", t)));
    if (arg.checkedType() != null) {
      c.setCheckedType(arg.checkedType());
    }
    return c;
  }

  /** The single argument of an annotation call. */
  static Expr arg(Expr annotation) {
    return ((Call) annotation).arg(0);
  }
}
