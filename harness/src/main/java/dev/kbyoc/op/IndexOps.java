package dev.kbyoc.op;

import dev.kbyoc.ir.AttrKind;
import dev.kbyoc.ir.AttrSpec;
import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Type;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that select elements by index, with TVM v0.8's names and attributes:
 * {@code strided_slice} ({@code StridedSliceAttrs}: begin, end, strides, slice_mode, axes) and
 * {@code take} ({@code TakeAttrs}: batch_dims, axis, mode). Both are {@link OpPattern#INJECTIVE}.
 */
public final class IndexOps {
  private IndexOps() {}

  static List<OpDef> defs() {
    return List.of(stridedSlice(), take());
  }

  /** Begin, stride and length of each axis of a {@code strided_slice} of {@code shape}. */
  record Slice(int[] begin, int[] stride, int[] len) {}

  /**
   * TVM's canonicalisation ({@code topi::StridedSliceCanonicalizeBegin}): a negative index counts
   * from the end, then begin and end clamp to [0, dim] for a positive stride and to [-1, dim - 1]
   * for a negative one; the length is {@code ceil((end - begin) / stride)}, at least 0. Axes not
   * listed in {@code axes} (or beyond {@code begin}'s length) are taken whole; a missing stride
   * is 1.
   */
  static Slice slice(int[] shape, Attrs attrs) {
    int r = shape.length;
    int[] b = attrs.getInts("begin");
    int[] e = attrs.getInts("end");
    int[] st = attrs.has("strides") ? attrs.getInts("strides") : new int[0];
    if (b == null || e == null) {
      throw new KbyocException("missing required attribute [" + (b == null ? "begin" : "end") + "]");
    }
    if (!attrs.getString("slice_mode").equals("end")) {
      throw new KbyocException("slice_mode [" + attrs.getString("slice_mode") + "] is not supported (only \"end\")");
    }
    int[] axes = attrs.has("axes") ? attrs.getInts("axes") : null;
    int n = axes == null ? Math.min(b.length, r) : axes.length;
    if (b.length < n || e.length < n || (axes != null && st.length > n && st.length != 1)) {
      throw new KbyocException("begin " + Arrays.toString(b) + " and end " + Arrays.toString(e) + " must give "
          + n + " values");
    }
    int[] begin = new int[r];
    int[] stride = new int[r];
    int[] len = shape.clone();
    Arrays.fill(stride, 1);
    boolean[] seen = new boolean[r];
    for (int k = 0; k < n; k++) {
      int ax = axes == null ? k : Types.axis(axes[k], r);
      if (seen[ax]) {
        throw new KbyocException("axes " + Arrays.toString(axes) + " repeat axis " + ax);
      }
      seen[ax] = true;
      long s = st.length == 0 ? 1 : st[Math.min(k, st.length - 1)];
      if (s == 0) {
        throw new KbyocException("strides " + Arrays.toString(st) + " contain 0");
      }
      long dim = shape[ax];
      long lo = s < 0 ? -1 : 0;
      long hi = s < 0 ? dim - 1 : dim;
      long bb = Math.min(Math.max(b[k] < 0 ? b[k] + dim : b[k], lo), hi);
      long ee = Math.min(Math.max(e[k] < 0 ? e[k] + dim : e[k], lo), hi);
      long l = s > 0 ? (ee - bb + s - 1) / s : (bb - ee + (-s) - 1) / (-s);
      begin[ax] = (int) bb;
      stride[ax] = (int) s;
      len[ax] = (int) Math.max(0, l);
    }
    return new Slice(begin, stride, len);
  }

  private static OpDef stridedSlice() {
    return OpDef.builder("strided_slice")
        .attr(new AttrSpec("begin", AttrKind.INTS, null))
        .attr(new AttrSpec("end", AttrKind.INTS, null))
        .attr(new AttrSpec("strides", AttrKind.INTS, null))
        .attr(AttrSpec.string("slice_mode", "end"))
        .attr(new AttrSpec("axes", AttrKind.INTS, null))
        .type((args, attrs) -> {
          TensorType t = Types.tensor(args, 0);
          return new TensorType(slice(t.shape(), attrs).len(), t.dtype());
        })
        .kernel((args, attrs, out) -> {
          NDArray x = args.get(0).asTensor();
          int[] xs = x.shape();
          Slice sl = slice(xs, attrs);
          NDArray y = NDArray.zeros(x.dtype(), sl.len());
          int[] src = new int[xs.length];
          for (int i = 0; i < y.size(); i++) {
            int[] idx = Types.unravel(i, sl.len());
            for (int d = 0; d < xs.length; d++) {
              src[d] = sl.begin()[d] + idx[d] * sl.stride()[d];
            }
            y.setDouble(i, x.getDouble(Types.ravel(src, xs)));
          }
          return y;
        })
        .pattern(OpPattern.INJECTIVE)
        .build();
  }

  /**
   * {@code take(data, indices, axis)}: numpy's take; the output shape is data's with
   * {@code axis} replaced by indices' shape ({@code axis} none flattens data first). Mode
   * {@code clip} clamps indices into range, {@code wrap} takes them modulo the axis length (so
   * -1 is the last), {@code fast} requires them in range. Only {@code batch_dims=0}.
   */
  private static OpDef take() {
    return OpDef.builder("take")
        .inputs(2)
        .attr(AttrSpec.integer("batch_dims", 0))
        .attr(new AttrSpec("axis", AttrKind.INT, null))
        .attr(AttrSpec.string("mode", "clip"))
        .type((args, attrs) -> {
          TensorType d = Types.tensor(args, 0);
          TensorType i = Types.tensor(args, 1);
          if (i.dtype().isFloat()) {
            throw new KbyocException("indices must be integers, got " + i);
          }
          if (attrs.getInt("batch_dims") != 0) {
            throw new KbyocException("batch_dims [" + attrs.getInt("batch_dims") + "] is not supported (only 0)");
          }
          String mode = attrs.getString("mode");
          if (!mode.equals("clip") && !mode.equals("wrap") && !mode.equals("fast")) {
            throw new KbyocException("mode [" + mode + "] must be clip, wrap or fast");
          }
          int[] ds = attrs.has("axis") ? d.shape() : new int[] {Math.toIntExact(d.size())};
          int axis = Types.axis(attrs.has("axis") ? attrs.getInt("axis") : 0, ds.length);
          int[] is = i.shape();
          int[] os = new int[ds.length - 1 + is.length];
          System.arraycopy(ds, 0, os, 0, axis);
          System.arraycopy(is, 0, os, axis, is.length);
          System.arraycopy(ds, axis + 1, os, axis + is.length, ds.length - axis - 1);
          return new TensorType(os, d.dtype());
        })
        .kernel((args, attrs, out) -> takeKernel(args.get(0).asTensor(), args.get(1).asTensor(), attrs, (TensorType) out))
        .pattern(OpPattern.INJECTIVE)
        .build();
  }

  private static NDArray takeKernel(NDArray data, NDArray idx, Attrs attrs, TensorType out) {
    int[] ds = attrs.has("axis") ? data.shape() : new int[] {data.size()};
    int axis = Types.axis(attrs.has("axis") ? attrs.getInt("axis") : 0, ds.length);
    int[] o = Types.aroundAxis(ds, axis);
    String mode = attrs.getString("mode");
    NDArray y = NDArray.zeros(out.dtype(), out.shape());
    int n = idx.size();
    for (int k = 0; k < n; k++) {
      long j = idx.getLong(k);
      long dim = o[1];
      if (mode.equals("clip")) {
        j = Math.min(Math.max(j, 0), dim - 1);
      } else if (mode.equals("wrap")) {
        j = Math.floorMod(j, dim);
      } else if (j < 0 || j >= dim) {
        throw new KbyocException("take: index " + j + " out of range [0, " + dim + ") of axis " + axis);
      }
      for (int a = 0; a < o[0]; a++) {
        for (int i = 0; i < o[2]; i++) {
          y.setDouble((a * n + k) * o[2] + i, data.getDouble((int) ((a * dim + j) * o[2] + i)));
        }
      }
    }
    return y;
  }
}
