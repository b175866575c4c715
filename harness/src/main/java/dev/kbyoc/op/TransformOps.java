package dev.kbyoc.op;

import dev.kbyoc.ir.AttrKind;
import dev.kbyoc.ir.AttrSpec;
import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.TupleType;
import dev.kbyoc.ir.TupleValue;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shape-changing ops that move data without arithmetic: {@code reshape}, {@code transpose},
 * {@code squeeze}, {@code expand_dims} and {@code concatenate} (which takes a Tuple argument, as
 * in Relay). All are {@link OpPattern#INJECTIVE} except {@code expand_dims}, which TVM v0.8
 * registers as {@link OpPattern#BROADCAST}.
 */
public final class TransformOps {
  private TransformOps() {}

  static List<OpDef> defs() {
    return List.of(reshape(), transpose(), squeeze(), expandDims(), concatenate());
  }

  /** Output shape is the data shape rewritten (same C-order elements): copy and reshape. */
  private static NDArray relabel(Value v, Type out) {
    return v.asTensor().copy().reshape(((TensorType) out).shape());
  }

  private static OpDef reshape() {
    return OpDef.builder("reshape")
        .attr(new AttrSpec("newshape", AttrKind.INTS, null))
        .type((args, attrs) -> {
          TensorType t = Types.tensor(args, 0);
          return new TensorType(NewShape.infer(t.shape(), Types.requireInts(attrs, "newshape")), t.dtype());
        })
        .kernel((args, attrs, out) -> relabel(args.get(0), out))
        .pattern(OpPattern.INJECTIVE)
        .build();
  }

  /** The permutation for {@code transpose}: {@code axes} normalised, or reversed when absent/empty. */
  static int[] permutation(Attrs attrs, int rank) {
    int[] perm = new int[rank];
    if (!attrs.has("axes") || attrs.getInts("axes").length == 0) {
      for (int i = 0; i < rank; i++) {
        perm[i] = rank - 1 - i;
      }
      return perm;
    }
    int[] axes = attrs.getInts("axes");
    if (axes.length != rank) {
      throw new KbyocException("axes " + Arrays.toString(axes) + " must list all " + rank + " axes of the data");
    }
    boolean[] seen = new boolean[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = Types.axis(axes[i], rank);
      if (seen[perm[i]]) {
        throw new KbyocException("axes " + Arrays.toString(axes) + " repeat axis " + perm[i]);
      }
      seen[perm[i]] = true;
    }
    return perm;
  }

  private static OpDef transpose() {
    return OpDef.builder("transpose")
        .attr(new AttrSpec("axes", AttrKind.INTS, null))
        .type((args, attrs) -> {
          TensorType t = Types.tensor(args, 0);
          int[] perm = permutation(attrs, t.rank());
          int[] s = new int[t.rank()];
          for (int i = 0; i < s.length; i++) {
            s[i] = t.dim(perm[i]);
          }
          return new TensorType(s, t.dtype());
        })
        .kernel((args, attrs, out) -> {
          NDArray x = args.get(0).asTensor();
          int[] perm = permutation(attrs, x.rank());
          int[] os = ((TensorType) out).shape();
          NDArray y = NDArray.zeros(x.dtype(), os);
          int[] src = new int[x.rank()];
          for (int i = 0; i < y.size(); i++) {
            int[] idx = Types.unravel(i, os);
            for (int d = 0; d < idx.length; d++) {
              src[perm[d]] = idx[d];
            }
            y.setDouble(i, x.getDouble(Types.ravel(src, x.shape())));
          }
          return y;
        })
        .pattern(OpPattern.INJECTIVE)
        .build();
  }

  private static OpDef squeeze() {
    return OpDef.builder("squeeze")
        .attr(new AttrSpec("axis", AttrKind.INTS, null))
        .type((args, attrs) -> {
          TensorType t = Types.tensor(args, 0);
          boolean[] drop = new boolean[t.rank()];
          if (attrs.has("axis")) {
            for (int a : attrs.getInts("axis")) {
              int ax = Types.axis(a, t.rank());
              if (t.dim(ax) != 1) {
                throw new KbyocException("cannot squeeze axis " + a + " of " + t + ": its size is " + t.dim(ax) + ", not 1");
              }
              drop[ax] = true;
            }
          } else {
            for (int d = 0; d < t.rank(); d++) {
              drop[d] = t.dim(d) == 1;
            }
          }
          List<Integer> s = new ArrayList<>();
          for (int d = 0; d < t.rank(); d++) {
            if (!drop[d]) {
              s.add(t.dim(d));
            }
          }
          return new TensorType(s.stream().mapToInt(Integer::intValue).toArray(), t.dtype());
        })
        .kernel((args, attrs, out) -> relabel(args.get(0), out))
        .pattern(OpPattern.INJECTIVE)
        .build();
  }

  private static OpDef expandDims() {
    return OpDef.builder("expand_dims")
        .attr(new AttrSpec("axis", AttrKind.INT, null))
        .attr(AttrSpec.integer("num_newaxis", 1))
        .type((args, attrs) -> {
          TensorType t = Types.tensor(args, 0);
          int axis = (int) Types.requireLong(attrs, "axis");
          int n = attrs.getInt("num_newaxis");
          if (n < 0) {
            throw new KbyocException("attribute [num_newaxis] must be >= 0, got " + n);
          }
          if (axis < -t.rank() - 1 || axis > t.rank()) {
            throw new KbyocException("axis " + axis + " out of range [" + (-t.rank() - 1) + ", " + t.rank() + "] for " + t);
          }
          int at = axis < 0 ? axis + t.rank() + 1 : axis;
          int[] s = new int[t.rank() + n];
          for (int d = 0, k = 0; d < s.length; d++) {
            s[d] = d >= at && d < at + n ? 1 : t.dim(k++);
          }
          return new TensorType(s, t.dtype());
        })
        .kernel((args, attrs, out) -> relabel(args.get(0), out))
        .pattern(OpPattern.BROADCAST)
        .build();
  }

  /** {@code concatenate((a, b, ...), axis=0)}: joins tensors along {@code axis}. */
  private static OpDef concatenate() {
    return OpDef.builder("concatenate")
        .attr(AttrSpec.integer("axis", 0))
        .type((args, attrs) -> {
          if (!(args.get(0) instanceof TupleType tt) || tt.fields().isEmpty()) {
            throw new KbyocException("argument must be a non-empty tuple of tensors, got " + args.get(0));
          }
          TensorType first = Types.tensor(tt.fields(), 0);
          int axis = Types.axis(attrs.getInt("axis"), first.rank());
          int[] s = first.shape();
          for (int i = 1; i < tt.fields().size(); i++) {
            TensorType f = Types.tensor(tt.fields(), i);
            boolean ok = f.rank() == first.rank() && f.dtype() == first.dtype();
            for (int d = 0; ok && d < s.length; d++) {
              ok = d == axis || f.dim(d) == first.dim(d);
            }
            if (!ok) {
              throw new KbyocException("tuple field " + i + " " + f + " does not match field 0 " + first
                  + " in dtype, rank or dims outside axis " + axis);
            }
            s[axis] += f.dim(axis);
          }
          return new TensorType(s, first.dtype());
        })
        .kernel((args, attrs, out) -> {
          TensorType ot = (TensorType) out;
          int[] o = Types.aroundAxis(ot.shape(), Types.axis(attrs.getInt("axis"), ot.rank()));
          NDArray y = NDArray.zeros(ot.dtype(), ot.shape());
          int offset = 0;
          for (Value v : ((TupleValue) args.get(0)).fields()) {
            NDArray x = v.asTensor();
            int len = x.dim(Types.axis(attrs.getInt("axis"), x.rank()));
            for (int i = 0; i < x.size(); i++) {
              int outer = i / (len * o[2]);
              int along = i / o[2] % len;
              int inner = i % o[2];
              y.setDouble((outer * o[1] + offset + along) * o[2] + inner, x.getDouble(i));
            }
            offset += len;
          }
          return y;
        })
        .pattern(OpPattern.INJECTIVE)
        .build();
  }
}
