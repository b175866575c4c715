package dev.kbyoc.pass;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.FuncType;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.TupleType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Var;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fills the checked type of every node of every function, or fails with a message naming the node
 * and the mismatch.
 *
 * <p><b>Input:</b> any module whose function parameters carry type annotations.
 * <b>Output:</b> the same module (types are recorded on the nodes).
 * <b>Algorithm:</b> 1. type each global function on first use (globals called before they are
 * typed are typed first; recursion is an error); 2. walk each function in post-order: a var has
 * its annotation, a constant its data's type, an op call what the op's type relation returns
 * for the argument types and full attributes, a function call the callee's return type after the
 * argument types are checked against its parameters; 3. check declared return types.
 * <b>Runs after:</b> every pass that builds new nodes.
 */
public final class InferType {
  public static final String NAME = "InferType";

  private InferType() {}

  public static Pass create() {
    return Pass.module(NAME, InferType::run);
  }

  /** Types every function of the module in place and returns it. */
  public static IRModule run(IRModule module) {
    new Inferer(module).all();
    return module;
  }

  /** Types a standalone expression (no global calls). */
  public static Type inferExpr(Expr e) {
    return new Inferer(IRModule.of(java.util.Map.of())).expr(e);
  }

  private static final class Inferer {
    private final IRModule module;
    private final Set<String> inProgress = new HashSet<>();

    Inferer(IRModule module) {
      this.module = module;
    }

    void all() {
      for (String name : module.functions().keySet()) {
        global(name);
      }
    }

    private FuncType global(String name) {
      Function f = module.get(name);
      if (f.checkedType() instanceof FuncType ft) {
        return ft;
      }
      if (!inProgress.add(name)) {
        throw new KbyocException("recursive call of @" + name + " is not supported");
      }
      expr(f);
      inProgress.remove(name);
      return (FuncType) f.checkedType();
    }

    Type expr(Expr root) {
      for (Expr e : untyped(root)) {
        if (e.checkedType() == null || e instanceof Function) {
          if (!(e instanceof Op) && !(e instanceof GlobalVar)) {
            e.setCheckedType(typeOf(e));
          }
        }
      }
      return root.checkedType();
    }

    /**
     * {@link PostOrder#of} restricted to what needs typing: a typed node other than a function is
     * not entered, since nodes are typed children first (by this class, or by hand on leaves and
     * on annotations of typed nodes), so everything under it is typed already. A pass that
     * rebuilds part of a typed graph then pays only for the rebuilt part.
     */
    private static List<Expr> untyped(Expr root) {
      return PostOrder.of(root, e -> e.checkedType() != null && !(e instanceof Function));
    }

    private Type typeOf(Expr e) {
      if (e instanceof Var v) {
        if (v.typeAnnotation() == null) {
          throw new KbyocException("variable %" + v.name() + " at " + v.span().lineCol() + " has no type annotation");
        }
        return v.typeAnnotation();
      }
      if (e instanceof Constant c) {
        return c.data().type();
      }
      if (e instanceof Tuple t) {
        List<Type> fs = new ArrayList<>();
        for (Expr f : t.fields()) {
          fs.add(f.checkedType());
        }
        return new TupleType(fs);
      }
      if (e instanceof TupleGetItem g) {
        if (!(g.tuple().checkedType() instanceof TupleType tt)) {
          throw new KbyocException(g.describe() + ": cannot project ." + g.index() + " of non-tuple " + g.tuple().checkedType());
        }
        if (g.index() >= tt.fields().size()) {
          throw new KbyocException(g.describe() + ": index " + g.index() + " out of range for " + tt);
        }
        return tt.fields().get(g.index());
      }
      if (e instanceof Function f) {
        List<Type> ps = new ArrayList<>();
        for (Var p : f.params()) {
          ps.add(p.checkedType());
        }
        Type body = f.body().checkedType();
        if (f.retType() != null && !f.retType().equals(body)) {
          throw new KbyocException(f.describe() + " declares return type " + f.retType() + " but its body has type " + body);
        }
        return new FuncType(ps, body);
      }
      return callType((Call) e);
    }

    /**
     * {@code t}, or the equal type object of the first argument when there is one (elementwise
     * ops mostly): nodes then share one type object instead of each keeping its own copy, which
     * on a 100k-node graph is 100k fewer objects for the collector to copy.
     */
    private static Type shared(Type t, List<Type> argTypes) {
      return !argTypes.isEmpty() && t.equals(argTypes.get(0)) ? argTypes.get(0) : t;
    }

    private Type callType(Call c) {
      List<Type> argTypes = new ArrayList<>(c.args().size());
      for (Expr a : c.args()) {
        argTypes.add(a.checkedType());
      }
      if (c.op() instanceof Op op) {
        try {
          return shared(op.schema().inferType(argTypes, c.fullAttrs()), argTypes);
        } catch (KbyocException ex) {
          throw new KbyocException("type error at " + c.describe() + " (" + op.name() + "): " + ex.getMessage());
        } catch (RuntimeException ex) {
          throw new KbyocException("type error at " + c.describe() + " (" + op.name() + "): " + ex);
        }
      }
      FuncType ft;
      String callee;
      if (c.op() instanceof GlobalVar g) {
        if (!module.has(g.name())) {
          throw new KbyocException(c.describe() + " calls unknown global @" + g.name());
        }
        ft = global(g.name());
        callee = "@" + g.name();
      } else {
        ft = (FuncType) c.op().checkedType();
        callee = "fn";
      }
      if (ft.params().size() != argTypes.size()) {
        throw new KbyocException(c.describe() + ": " + callee + " takes " + ft.params().size() + " arguments, got " + argTypes.size());
      }
      for (int i = 0; i < argTypes.size(); i++) {
        if (!ft.params().get(i).equals(argTypes.get(i))) {
          throw new KbyocException(c.describe() + ": argument " + i + " of " + callee + " has type " + argTypes.get(i)
              + ", expected " + ft.params().get(i));
        }
      }
      return ft.ret();
    }
  }
}
