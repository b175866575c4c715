package dev.kbyoc.op;

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

  /** Requires a float32 tensor of the given rank (-1 for any). */
  public static TensorType floatTensor(List<Type> args, int i, int rank) {
    TensorType t = tensor(args, i);
    if (!t.dtype().isFloat()) {
      throw new KbyocException("argument " + i + " must be float32, got " + t);
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
}
