package dev.kbyoc.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.StructuralEqual;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import dev.kbyoc.ir.text.RelayPrinter;
import dev.kbyoc.op.AnnotationOps;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.testing.Attach;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small builders for expected graphs, in the shape of TVM's Python tests. */
final class G {
  private G() {}

  static Var v(String name, int... shape) {
    return new Var(name, TensorType.f32(shape));
  }

  static Call op(String name, Expr... args) {
    return Call.op(name, args);
  }

  static Call op(String name, Attrs attrs, Expr... args) {
    return Call.op(name, List.of(args), attrs);
  }

  static Call cb(Expr e, String target) {
    return Call.op(AnnotationOps.COMPILER_BEGIN, List.of(e), Attrs.of("compiler", target));
  }

  static Call ce(Expr e, String target) {
    return Call.op(AnnotationOps.COMPILER_END, List.of(e), Attrs.of("compiler", target));
  }

  static Tuple tuple(Expr... fields) {
    return new Tuple(List.of(fields));
  }

  static TupleGetItem get(Expr t, int i) {
    return new TupleGetItem(t, i);
  }

  static Function fn(List<Var> params, Expr body) {
    return new Function(params, body);
  }

  /** An external function as PartitionGraph makes it. */
  static Function ext(String name, String compiler, List<Var> params, Expr body) {
    return new Function(params, body, null, Attrs.of("global_symbol", name, "Primitive", 1L, "Compiler", compiler,
        "Inline", 1L), null);
  }

  static Call call(String global, Expr... args) {
    return new Call(new GlobalVar(global), List.of(args), Attrs.empty());
  }

  /** A module of main plus name/function pairs. */
  static IRModule mod(Function main, Object... nameFns) {
    Map<String, Function> m = new LinkedHashMap<>();
    m.put("main", main);
    for (int i = 0; i < nameFns.length; i += 2) {
      m.put((String) nameFns[i], (Function) nameFns[i + 1]);
    }
    return IRModule.of(m);
  }

  /** Alpha-equivalence; on a difference the report gets both modules as Relay text. */
  static void assertModEq(IRModule expected, IRModule actual) {
    String diff = StructuralEqual.firstDifference(expected, actual);
    if (diff != null) {
      Attach.relay("expected.relay", relayOrError(expected));
      Attach.relay("actual.relay", relayOrError(actual));
    }
    assertNull(diff, () -> "modules differ");
  }

  /** Relay text of {@code m}, or why it cannot be printed (the test is failing anyway). */
  static String relayOrError(IRModule m) {
    try {
      return RelayPrinter.text(m);
    } catch (RuntimeException e) {
      return "(not printable: " + e + ")";
    }
  }

  /** Alpha-equivalence; on a difference the report gets both functions as Relay text. */
  static void assertFnEq(Function expected, Function actual) {
    String diff = StructuralEqual.firstDifference(expected, actual);
    if (diff != null) {
      Attach.relay("expected.relay", relayOrError(IRModule.fromMain(expected)));
      Attach.relay("actual.relay", relayOrError(IRModule.fromMain(actual)));
    }
    assertNull(diff, "functions differ");
  }

  static List<String> paramNames(Function f) {
    List<String> l = new ArrayList<>();
    for (Var p : f.params()) {
      l.add(p.name());
    }
    return l;
  }

  /** Distinct calls of an op reachable from a function (sharing counts once). */
  static int count(Function f, String opName) {
    int n = 0;
    for (Expr e : PostOrder.of(f.body())) {
      if (e instanceof Call c && c.isOp(opName)) {
        n++;
      }
    }
    return n;
  }

  /** Random float inputs for main's parameters (values in [-2, 2)), from a seed. */
  static Map<String, NDArray> inputs(IRModule m, long seed) {
    Random r = new Random(seed);
    Map<String, NDArray> in = new LinkedHashMap<>();
    for (Var p : m.main().params()) {
      TensorType t = (TensorType) p.typeAnnotation();
      NDArray a = NDArray.zeros(t.dtype(), t.shape());
      for (int i = 0; i < a.size(); i++) {
        a.setDouble(i, t.dtype().isFloat() ? r.nextFloat() * 4 - 2 : r.nextInt(7) - 3);
      }
      in.put(p.name(), a);
    }
    return in;
  }

  /** Partitioning must not change results: the interpreter gives bit-identical outputs. */
  static void assertSameResults(IRModule before, IRModule after) {
    for (long seed = 1; seed <= 2; seed++) {
      Map<String, NDArray> in = inputs(before, seed);
      List<NDArray> a = new Interpreter(before).runFlat(in);
      List<NDArray> b = new Interpreter(after).runFlat(in);
      assertEquals(a.size(), b.size(), "number of outputs");
      for (int i = 0; i < a.size(); i++) {
        assertEquals(a.get(i), b.get(i), "output " + i + " (seed " + seed + ")");
      }
    }
  }

  /** Annotations must be gone after partitioning. */
  static void assertNoAnnotations(IRModule m) {
    for (Function f : m.functions().values()) {
      assertEquals(0, count(f, AnnotationOps.COMPILER_BEGIN) + count(f, AnnotationOps.COMPILER_END),
          "annotations left in " + f.describe());
    }
  }
}
