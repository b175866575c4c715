package dev.kbyoc.op;

import dev.kbyoc.ir.AttrKind;
import dev.kbyoc.ir.AttrSpec;
import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reductions with TVM v0.8 {@code ReduceAttrs} ({@code axis}, {@code keepdims},
 * {@code exclude}): {@code mean} and {@code sum} (accumulating in double), {@code max} and
 * {@code min}. No {@code axis} reduces every axis; {@code exclude} reduces the axes not listed.
 * Reducing an empty axis gives the identity: 0 for sum, NaN for mean, the dtype's lowest
 * (highest) value for max (min), as numpy's initial values would. Pattern
 * {@link OpPattern#COMM_REDUCE}.
 */
public final class ReduceOps {
  private ReduceOps() {}

  static List<OpDef> defs() {
    return List.of(reduce("mean"), reduce("sum"), reduce("max"), reduce("min"));
  }

  /** Which axes of a rank-{@code rank} tensor are reduced. */
  static boolean[] reduced(Attrs attrs, int rank) {
    boolean[] r = new boolean[rank];
    if (!attrs.has("axis")) {
      Arrays.fill(r, true);
      return r;
    }
    int[] axes = attrs.getInts("axis");
    for (int a : axes) {
      int ax = Types.axis(a, rank);
      if (r[ax]) {
        throw new KbyocException("axis " + Arrays.toString(axes) + " lists axis " + ax + " twice");
      }
      r[ax] = true;
    }
    if (attrs.getBool("exclude")) {
      for (int d = 0; d < rank; d++) {
        r[d] = !r[d];
      }
    }
    return r;
  }

  private static OpDef reduce(String name) {
    return OpDef.builder(name)
        .attr(new AttrSpec("axis", AttrKind.INTS, null))
        .attr(AttrSpec.bool("keepdims", false))
        .attr(AttrSpec.bool("exclude", false))
        .type(ReduceOps::reduceType)
        .kernel((args, attrs, out) -> reduceKernel(name, args.get(0).asTensor(), attrs, (TensorType) out))
        .pattern(OpPattern.COMM_REDUCE)
        .build();
  }

  static Type reduceType(List<Type> args, Attrs attrs) {
    TensorType t = Types.tensor(args, 0);
    boolean[] r = reduced(attrs, t.rank());
    boolean keep = attrs.getBool("keepdims");
    List<Integer> s = new ArrayList<>();
    for (int d = 0; d < t.rank(); d++) {
      if (!r[d]) {
        s.add(t.dim(d));
      } else if (keep) {
        s.add(1);
      }
    }
    return new TensorType(s.stream().mapToInt(Integer::intValue).toArray(), t.dtype());
  }

  /**
   * Folds each input element into its output cell (its index with reduced axes dropped) with
   * {@code op}'s accumulator, then stores the result (a mean divides by the reduced count).
   */
  static NDArray reduceKernel(String op, NDArray x, Attrs attrs, TensorType outType) {
    boolean[] r = reduced(attrs, x.rank());
    int[] is = x.shape();
    List<Integer> kept = new ArrayList<>();
    long count = 1;
    for (int d = 0; d < is.length; d++) {
      if (r[d]) {
        count *= is[d];
      } else {
        kept.add(is[d]);
      }
    }
    int[] ks = kept.stream().mapToInt(Integer::intValue).toArray();
    double[] acc = new double[Math.toIntExact(NDArray.checkedSize(ks))];
    double init = switch (op) {
      case "max" -> x.dtype().isFloat() ? Double.NEGATIVE_INFINITY : x.dtype().lowest();
      case "min" -> x.dtype().isFloat() ? Double.POSITIVE_INFINITY : x.dtype().highest();
      default -> 0;
    };
    Arrays.fill(acc, init);
    for (int i = 0; i < x.size(); i++) {
      int[] idx = Types.unravel(i, is);
      int[] k = new int[ks.length];
      for (int d = 0, j = 0; d < is.length; d++) {
        if (!r[d]) {
          k[j++] = idx[d];
        }
      }
      int o = Types.ravel(k, ks);
      double v = x.getDouble(i);
      acc[o] = switch (op) {
        case "max" -> Double.isNaN(v) || v > acc[o] ? v : acc[o];
        case "min" -> Double.isNaN(v) || v < acc[o] ? v : acc[o];
        default -> acc[o] + v;
      };
    }
    NDArray y = NDArray.zeros(outType.dtype(), outType.shape());
    for (int i = 0; i < acc.length; i++) {
      y.setDouble(i, op.equals("mean") ? acc[i] / count : acc[i]);
    }
    return y;
  }
}
