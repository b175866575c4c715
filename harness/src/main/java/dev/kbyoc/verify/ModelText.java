package dev.kbyoc.verify;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import java.util.IdentityHashMap;
import java.util.Map;

/** Prints a module for humans in failure messages (one binding per line, Relay-like). */
final class ModelText {
  private ModelText() {}

  static String print(IRModule m) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Function> e : m.functions().entrySet()) {
      Map<Expr, String> names = new IdentityHashMap<>();
      Function f = e.getValue();
      sb.append("def @").append(e.getKey()).append('(');
      for (int i = 0; i < f.params().size(); i++) {
        Var p = f.params().get(i);
        names.put(p, "%" + p.name());
        sb.append(i == 0 ? "" : ", ").append('%').append(p.name()).append(": ").append(p.typeAnnotation());
      }
      sb.append(") {\n");
      int n = 0;
      for (Expr x : PostOrder.of(f.body())) {
        String rhs;
        if (x instanceof Call c) {
          StringBuilder a = new StringBuilder(c.op() instanceof Function ? "fn" : c.op().describe()).append('(');
          for (int i = 0; i < c.args().size(); i++) {
            a.append(i == 0 ? "" : ", ").append(names.get(c.arg(i)));
          }
          rhs = a.append(c.attrs().isEmpty() ? ")" : ", " + c.attrs() + ")").toString();
        } else if (x instanceof Tuple t) {
          StringBuilder a = new StringBuilder("(");
          t.fields().forEach(fl -> a.append(a.length() == 1 ? "" : ", ").append(names.get(fl)));
          rhs = a.append(")").toString();
        } else if (x instanceof TupleGetItem g) {
          rhs = names.get(g.tuple()) + "." + g.index();
        } else if (x instanceof Constant c) {
          names.put(x, "const" + c.data().type());
          continue;
        } else {
          continue;
        }
        names.put(x, "%" + n);
        sb.append("  %").append(n++).append(" = ").append(rhs).append(";")
            .append(x.checkedType() == null ? "" : " /* ty=" + x.checkedType() + " */").append('\n');
      }
      sb.append("  ").append(names.getOrDefault(f.body(), "?")).append("\n}\n");
    }
    return sb.toString();
  }
}
