package dev.kbyoc.ir.text;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.FuncType;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Var;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A transcription of TVM v0.8's {@code RelayTextPrinter} (src/printer/relay_text_printer.cc), so
 * that numbering, naming and inlining match {@code astext()} exactly:
 *
 * <ol>
 *   <li>A node's text is computed by {@code ExpandDataflow}'s iterative post-order, which visits a
 *       call's callee first, then its arguments (so a callee {@code fn} literal is numbered before
 *       the arguments of its call).
 *   <li>A call, tuple, projection or {@code fn} literal is bound to a fresh {@code %n} when its
 *       parent is printed; the counter runs on across all functions of the module.
 *   <li>Variables, constants, globals and ops are always inline; a body's result is inline when it
 *       has one parent in the function's dependency graph.
 *   <li>Calls and constants carry {@code /* ty=... *}{@code /} once their type is known.
 *   <li>Parameter names are made unique module-wide ({@code %x}, {@code %x1}, ...); a name that
 *       does not start with a letter gets a {@code v} prefix.
 * </ol>
 *
 * Recursion happens only into nested {@code fn} literals; dataflow is walked with explicit stacks.
 */
final class PrinterEngine {
  static final String METADATA_OMITTED = "/* For debugging purposes the metadata section has been omitted.\n"
      + " * If you would like to see the full metadata section you can set the \n"
      + " * option to `True` when invoking `astext`. \n */";

  private final Map<Expr, String> memo = new IdentityHashMap<>();
  private final Map<Expr, String> resultMemo = new IdentityHashMap<>();
  private final Set<Expr> bound = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Expr> infoDone = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<String, Integer> names = new HashMap<>();
  private final Map<Constant, Integer> metaIndex = new IdentityHashMap<>();
  private final List<NDArray> constants = new ArrayList<>();
  private final ArrayDeque<StringBuilder> scopes = new ArrayDeque<>();
  private Map<Expr, Integer> parents = new IdentityHashMap<>();
  private int temp;

  List<NDArray> constants() {
    return constants;
  }

  String module(IRModule m) {
    StringBuilder out = new StringBuilder("#[version = \"0.0.5\"]\n");
    int counter = 0;
    for (Map.Entry<String, Function> e : m.functions().entrySet()) {
      parents = countParents(e.getValue());
      if (counter++ != 0) {
        out.append('\n');
      }
      out.append(function("def @" + e.getKey(), e.getValue())).append('\n');
    }
    if (!constants.isEmpty()) {
      out.append('\n').append(METADATA_OMITTED);
    }
    return out.toString();
  }

  /** Number of edges into each node of a global function (TVM's DependencyGraph parents). */
  private static Map<Expr, Integer> countParents(Function root) {
    Map<Expr, Integer> count = new IdentityHashMap<>();
    for (Expr e : PostOrder.of(root)) {
      List<Expr> kids = new ArrayList<>();
      if (e instanceof Call c) {
        kids.add(c.op());
        kids.addAll(c.args());
      } else {
        kids.addAll(PostOrder.children(e));
      }
      for (Expr k : kids) {
        count.merge(k, 1, Integer::sum);
      }
    }
    return count;
  }

  private String function(String prefix, Function f) {
    List<String> parts = new ArrayList<>();
    for (Var p : f.params()) {
      parts.add(allocVar(p));
    }
    TextFormat.attrs(f.attrs().asMap(), parts);
    StringBuilder sb = new StringBuilder(prefix).append('(').append(String.join(", ", parts)).append(") ");
    Type ret = f.retType() != null ? f.retType() : f.checkedType() instanceof FuncType ft ? ft.ret() : null;
    if (ret != null) {
      sb.append("-> ").append(TextFormat.type(ret)).append(' ');
    }
    scopes.push(new StringBuilder());
    String result = printExpr(f.body(), true);
    StringBuilder scope = scopes.pop().append(result);
    return sb.append("{\n  ").append(scope.toString().replace("\n", "\n  ")).append("\n}").toString();
  }

  private String allocVar(Var v) {
    String prev = memo.get(v);
    if (prev != null) {
      return prev + "-malformed-ir";
    }
    String name = sanitize(v.name());
    if (name.isEmpty() || !isAsciiLetter(name.charAt(0))) {
      name = "v" + name;
    }
    String unique = uniqueName("%" + name);
    memo.put(v, unique);
    return v.typeAnnotation() == null ? unique : unique + ": " + TextFormat.type(v.typeAnnotation());
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Characters the tokenizer cannot read back in a name (e.g. ONNX's "input.1") become '_'. */
  private static String sanitize(String name) {
    if (name == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      boolean ok = isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '/';
      sb.append(ok ? c : '_');
    }
    return sb.toString();
  }

  private String uniqueName(String prefix) {
    String unique = prefix;
    Integer n = names.get(prefix);
    if (n != null) {
      while (true) {
        n++;
        names.put(prefix, n);
        String candidate = prefix + n;
        if (!names.containsKey(candidate)) {
          unique = candidate;
          break;
        }
      }
    }
    names.put(unique, 0);
    return unique;
  }

  private static boolean alwaysInline(Expr e) {
    return e instanceof GlobalVar || e instanceof Constant || e instanceof Op || e instanceof Var;
  }

  private String printExpr(Expr e, boolean tryInline) {
    boolean inline = alwaysInline(e) || (tryInline && parents.getOrDefault(e, 0) <= 1);
    String printed = visitExpr(e) + optionalInfo(e);
    if (e instanceof Var) {
      if (bound.add(e) && resultMemo.containsKey(e)) {
        scopes.peek().append("free_var ").append(resultMemo.get(e)).append(";\n");
      }
      return memo.get(e);
    }
    if (inline) {
      memo.put(e, printed);
      return printed;
    }
    if (!bound.add(e)) {
      return memo.get(e);
    }
    String var = "%" + temp++;
    memo.put(e, var);
    scopes.peek().append(var).append(" = ").append(printed).append(";\n");
    return var;
  }

  private String optionalInfo(Expr e) {
    if (!infoDone.add(e)) {
      return "";
    }
    if ((e instanceof Constant || e instanceof Call) && e.checkedType() != null) {
      return " /* ty=" + TextFormat.type(e.checkedType()) + " */";
    }
    return "";
  }

  private String visitExpr(Expr root) {
    String done = memo.get(root);
    if (done != null) {
      return done;
    }
    ArrayDeque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {root, false});
    while (!stack.isEmpty()) {
      Object[] front = stack.peek();
      Expr e = (Expr) front[0];
      if (memo.containsKey(e)) {
        stack.pop();
      } else if ((Boolean) front[1]) {
        visitLeaf(e);
        stack.pop();
      } else {
        front[1] = true;
        for (Expr k : expandOrder(e)) {
          if (!memo.containsKey(k)) {
            stack.push(new Object[] {k, false});
          }
        }
      }
    }
    return memo.get(root);
  }

  /** Children in the order TVM pushes them: arguments last to first, then the callee. */
  private static List<Expr> expandOrder(Expr e) {
    List<Expr> out = new ArrayList<>();
    if (e instanceof Call c) {
      for (int i = c.args().size() - 1; i >= 0; i--) {
        out.add(c.arg(i));
      }
      out.add(c.op());
    } else if (e instanceof Tuple t) {
      for (int i = t.fields().size() - 1; i >= 0; i--) {
        out.add(t.fields().get(i));
      }
    } else if (e instanceof TupleGetItem g) {
      out.add(g.tuple());
    }
    return out;
  }

  private void visitLeaf(Expr e) {
    if (!memo.containsKey(e)) {
      String r = visitNode(e);
      if (!memo.containsKey(e)) {
        memo.put(e, r);
      } else {
        resultMemo.put(e, r);
      }
    }
  }

  private String visitNode(Expr e) {
    if (e instanceof Var v) {
      return allocVar(v);
    }
    if (e instanceof Constant c) {
      String lit = TextFormat.scalarLiteral(c.data());
      if (lit != null) {
        return lit;
      }
      int index = metaIndex.computeIfAbsent(c, k -> {
        constants.add(k.data());
        return constants.size() - 1;
      });
      return "meta[relay.Constant][" + index + "]";
    }
    if (e instanceof Tuple t) {
      List<String> fields = new ArrayList<>();
      for (Expr f : t.fields()) {
        fields.add(printExpr(f, false));
      }
      return "(" + String.join(", ", fields) + (fields.size() == 1 ? ",)" : ")");
    }
    if (e instanceof TupleGetItem g) {
      return printExpr(g.tuple(), false) + "." + g.index();
    }
    if (e instanceof Function f) {
      return function("fn ", f);
    }
    if (e instanceof GlobalVar g) {
      return "@" + g.name();
    }
    if (e instanceof Op o) {
      return o.name();
    }
    Call c = (Call) e;
    List<String> args = new ArrayList<>();
    for (Expr a : c.args()) {
      args.add(printExpr(a, false));
    }
    TextFormat.attrs(c.attrs().asMap(), args);
    return printExpr(c.op(), false) + "(" + String.join(", ", args) + ")";
  }
}
