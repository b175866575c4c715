package dev.kbyoc.op;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleType;
import dev.kbyoc.ir.TupleValue;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Value;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.Interpreter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs single op calls the way a model would: a {@link Call} with constant arguments in a
 * parameterless {@code @main}, typed by {@link InferType} and evaluated by the
 * {@link Interpreter} (which also checks that the kernel's result matches the inferred type).
 */
final class OpTester {
  private OpTester() {}

  static Expr constant(Value v) {
    if (v instanceof NDArray a) {
      return new Constant(a);
    }
    List<Expr> fs = new ArrayList<>();
    for (Value f : ((TupleValue) v).fields()) {
      fs.add(constant(f));
    }
    return new Tuple(fs);
  }

  /** Evaluates {@code op(args..., attrs)}. */
  static Value run(String op, Attrs attrs, Value... args) {
    List<Expr> as = new ArrayList<>();
    for (Value v : args) {
      as.add(constant(v));
    }
    Call c = Call.op(op, as, attrs);
    return new Interpreter(IRModule.fromMain(new Function(List.of(), c))).run(Map.of());
  }

  /** Evaluates a single-tensor op. */
  static NDArray run1(String op, Attrs attrs, Value... args) {
    return run(op, attrs, args).asTensor();
  }

  /** The inferred type of {@code op} on arguments of the given types. */
  static Type infer(String op, Attrs attrs, Type... types) {
    List<Expr> as = new ArrayList<>();
    int i = 0;
    for (Type t : types) {
      if (t instanceof TupleType tt) {
        List<Expr> fs = new ArrayList<>();
        for (Type f : tt.fields()) {
          fs.add(new Var("v" + i++, f));
        }
        as.add(new Tuple(fs));
      } else {
        as.add(new Var("v" + i++, t));
      }
    }
    return InferType.inferExpr(Call.op(op, as, attrs));
  }

  /** Asserts type inference fails with a one-line message containing every fragment. */
  static void rejects(String op, Attrs attrs, List<String> fragments, Type... types) {
    KbyocException e = assertThrows(KbyocException.class, () -> infer(op, attrs, types));
    String m = e.getMessage();
    assertTrue(!m.contains("\n"), () -> "multi-line message: " + m);
    assertTrue(m.contains(op), () -> "message does not name the op: " + m);
    for (String f : fragments) {
      assertTrue(m.contains(f), () -> "message [" + m + "] lacks [" + f + "]");
    }
  }

  static NDArray f32(int[] shape, double... values) {
    float[] d = new float[values.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) values[i];
    }
    return NDArray.of(d, shape);
  }

  static int[] shape(int... dims) {
    return dims;
  }

  /** Tensor 1, 2, ..., n in C order. */
  static NDArray iota(int... shape) {
    int n = Math.toIntExact(NDArray.checkedSize(shape));
    float[] d = new float[n];
    for (int i = 0; i < n; i++) {
      d[i] = i + 1;
    }
    return NDArray.of(d, shape);
  }

  static NDArray random(Random r, int... shape) {
    int n = Math.toIntExact(NDArray.checkedSize(shape));
    float[] d = new float[n];
    for (int i = 0; i < n; i++) {
      d[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return NDArray.of(d, shape);
  }

  /** Shape equal and every element within {@code tol} (absolute) of the expectation. */
  static void assertClose(int[] shape, double[] expected, NDArray actual, double tol) {
    assertArrayEquals(shape, actual.shape(), "shape");
    assertEquals(expected.length, actual.size(), "size");
    for (int i = 0; i < expected.length; i++) {
      double a = actual.getDouble(i);
      if (Math.abs(a - expected[i]) > tol || Double.isNaN(a) != Double.isNaN(expected[i])) {
        throw new AssertionError("element " + i + ": expected " + expected[i] + " got " + a + " in " + actual);
      }
    }
  }

  static void assertClose(double[] expected, NDArray actual, int... shape) {
    assertClose(shape, expected, actual, 1e-5);
  }
}
