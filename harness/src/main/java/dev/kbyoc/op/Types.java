package dev.kbyoc.op;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Type;
import java.util.Arrays;
import java.util.List;

/** Helpers for type relations: argument checks and numpy broadcasting. */
public final class Types {
  private Types() {}

  /** Argument {@code i} as a tensor type, or an error naming the argument. */
  public static TensorType tensor(List<Type> args, int i) {
    Type t = args.get(i);
    if (t instanceof TensorType tt) {
      return tt;
    }
    throw new KbyocException("argument " + i + " must be a tensor, got " + t);
  }

  /** Requires a float tensor (float32, float64, float16, bfloat16) of the given rank (-1 for any). */
  public static TensorType floatTensor(List<Type> args, int i, int rank) {
    TensorType t = tensor(args, i);
    if (!t.dtype().isFloat()) {
      throw new KbyocException("argument " + i + " must be a float tensor (float32, float64, float16, bfloat16), got " + t);
    }
    if (rank >= 0 && t.rank() != rank) {
      throw new KbyocException("argument " + i + " must have rank " + rank + ", got " + t);
    }
    return t;
  }

  /** numpy broadcasting of two shapes; an error naming both when incompatible. */
  public static int[] broadcast(int[] a, int[] b) {
    int n = Math.max(a.length, b.length);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int da = i < n - a.length ? 1 : a[i - (n - a.length)];
      int db = i < n - b.length ? 1 : b[i - (n - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new KbyocException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /** The broadcast type of two tensor arguments of equal dtype. */
  public static TensorType broadcastType(List<Type> args) {
    TensorType a = tensor(args, 0);
    TensorType b = tensor(args, 1);
    if (a.dtype() != b.dtype()) {
      throw new KbyocException("dtypes differ: " + a + " and " + b);
    }
    return new TensorType(broadcast(a.shape(), b.shape()), a.dtype());
  }

  /** Normalises a possibly negative axis against a rank; an error when out of range. */
  public static int axis(int axis, int rank) {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new KbyocException("axis " + axis + " out of range for rank " + rank);
    }
    return a;
  }

  /** A required attribute's value, or an error naming it. */
  private static Object require(Attrs attrs, String name) {
    if (!attrs.has(name)) {
      throw new KbyocException("missing required attribute [" + name + "]");
    }
    return attrs.get(name);
  }

  public static double requireDouble(Attrs attrs, String name) {
    require(attrs, name);
    return attrs.getDouble(name);
  }

  public static String requireString(Attrs attrs, String name) {
    require(attrs, name);
    return attrs.getString(name);
  }

  public static long requireLong(Attrs attrs, String name) {
    require(attrs, name);
    return attrs.getLong(name);
  }

  public static int[] requireInts(Attrs attrs, String name) {
    require(attrs, name);
    return attrs.getInts(name);
  }

  /** An int-list attribute that must hold exactly {@code n} values. */
  public static int[] ints(Attrs attrs, String name, int n) {
    int[] v = requireInts(attrs, name);
    if (v.length != n) {
      throw new KbyocException("attribute [" + name + "] must have " + n + " values, got " + Arrays.toString(v));
    }
    return v;
  }

  /** Like {@link #ints} but every value must be at least {@code min}. */
  public static int[] intsAtLeast(Attrs attrs, String name, int n, int min) {
    int[] v = ints(attrs, name, n);
    for (int x : v) {
      if (x < min) {
        throw new KbyocException("attribute [" + name + "] values must be >= " + min + ", got " + Arrays.toString(v));
      }
    }
    return v;
  }

  /** The output dtype: the {@code out_dtype} attribute when set (non-empty), else {@code def}. */
  public static DType outDtype(Attrs attrs, DType def) {
    String s = attrs.getString("out_dtype", "");
    return s.isEmpty() ? def : DType.parse(s);
  }

  /** Requires two tensors to have the same dtype. */
  public static void sameDtype(TensorType a, TensorType b, String what) {
    if (a.dtype() != b.dtype()) {
      throw new KbyocException(what + " dtype " + b.dtype() + " differs from data dtype " + a.dtype());
    }
  }

  /** Strides of {@code shape} aligned right against {@code out}, 0 on broadcast dimensions. */
  public static int[] broadcastStrides(int[] shape, int[] out) {
    int[] s = new int[out.length];
    int stride = 1;
    for (int d = out.length - 1, k = shape.length - 1; d >= 0; d--, k--) {
      if (k >= 0 && shape[k] != 1) {
        s[d] = stride;
      }
      if (k >= 0) {
        stride *= shape[k];
      }
    }
    return s;
  }

  /**
   * Splits a shape around {@code axis} as {outer, length, inner}: element (o, i, j) of the
   * split view is flat index {@code (o * length + i) * inner + j}.
   */
  public static int[] aroundAxis(int[] shape, int axis) {
    int outer = 1;
    int inner = 1;
    for (int d = 0; d < axis; d++) {
      outer *= shape[d];
    }
    for (int d = axis + 1; d < shape.length; d++) {
      inner *= shape[d];
    }
    return new int[] {outer, shape[axis], inner};
  }

  /** The C-order multi-index of flat position {@code flat} in {@code shape}. */
  public static int[] unravel(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = flat % shape[d];
      flat /= shape[d];
    }
    return idx;
  }

  /** The C-order flat position of multi-index {@code idx} in {@code shape}. */
  public static int ravel(int[] idx, int[] shape) {
    int flat = 0;
    for (int d = 0; d < shape.length; d++) {
      flat = flat * shape[d] + idx[d];
    }
    return flat;
  }
}
