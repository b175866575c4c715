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
 * {@code nn.pad(data, pad_value, pad_width=[[before, after], ...], pad_mode="constant")}. As in
 * TVM v0.8 the pad value is a second input (a rank-0 tensor, e.g. {@code 0f}; TVM's Python API
 * wraps a number in a constant), not an attribute; it is converted to the data's dtype.
 * {@code pad_mode} is {@code constant}, {@code edge} (repeat the border element) or
 * {@code reflect} (mirror without repeating the border, numpy's "reflect"; needs pad < dim).
 * As TVM's {@code PadRel}, constant mode accepts negative widths (cropping) as long as every
 * output dim stays non-negative. Pattern {@link OpPattern#INJECTIVE}.
 */
public final class PadOps {
  private PadOps() {}

  static List<OpDef> defs() {
    return List.of(pad());
  }

  private static OpDef pad() {
    return OpDef.builder("nn.pad")
        .inputs(2)
        .attr(new AttrSpec("pad_width", AttrKind.INTS_LIST, null))
        .attr(AttrSpec.string("pad_mode", "constant"))
        .type(PadOps::padType)
        .kernel((args, attrs, out) -> padKernel(args.get(0).asTensor(), args.get(1).asTensor(), attrs, (TensorType) out))
        .pattern(OpPattern.INJECTIVE)
        .build();
  }

  /** pad_width rows checked against the data rank: one [before, after] pair per axis. */
  private static int[][] padWidth(Attrs attrs, TensorType t, boolean allowNegative) {
    if (!attrs.has("pad_width")) {
      throw new KbyocException("missing required attribute [pad_width]");
    }
    int[][] pw = attrs.getIntsList("pad_width");
    if (pw.length != t.rank()) {
      throw new KbyocException("pad_width has " + pw.length + " rows but data " + t + " has rank " + t.rank());
    }
    for (int d = 0; d < pw.length; d++) {
      if (pw[d].length != 2) {
        throw new KbyocException("pad_width row " + d + " must be a [before, after] pair, got " + Arrays.toString(pw[d]));
      }
      if (!allowNegative && (pw[d][0] < 0 || pw[d][1] < 0)) {
        throw new KbyocException("pad_width row " + d + " " + Arrays.toString(pw[d])
            + " is negative, which only pad_mode constant allows");
      }
      if (t.dim(d) + pw[d][0] + pw[d][1] < 0) {
        throw new KbyocException("pad_width row " + d + " " + Arrays.toString(pw[d]) + " crops axis " + d + " of size "
            + t.dim(d) + " below zero");
      }
    }
    return pw;
  }

  static Type padType(List<Type> args, Attrs attrs) {
    TensorType t = Types.tensor(args, 0);
    TensorType v = Types.tensor(args, 1);
    if (v.rank() != 0) {
      throw new KbyocException("pad value (argument 1) must be a scalar, got " + v);
    }
    String mode = attrs.getString("pad_mode");
    if (!List.of("constant", "edge", "reflect").contains(mode)) {
      throw new KbyocException("pad_mode must be constant, edge or reflect, got [" + mode + "]");
    }
    int[][] pw = padWidth(attrs, t, mode.equals("constant"));
    int[] s = t.shape();
    for (int d = 0; d < s.length; d++) {
      if (mode.equals("reflect") && (pw[d][0] >= s[d] || pw[d][1] >= s[d])) {
        throw new KbyocException("reflect padding " + Arrays.toString(pw[d]) + " on axis " + d + " must be smaller than its size "
            + s[d]);
      }
      if (mode.equals("edge") && s[d] == 0 && pw[d][0] + pw[d][1] > 0) {
        throw new KbyocException("edge padding of empty axis " + d);
      }
      s[d] += pw[d][0] + pw[d][1];
    }
    return new TensorType(s, t.dtype());
  }

  static NDArray padKernel(NDArray x, NDArray value, Attrs attrs, TensorType outType) {
    int[][] pw = attrs.getIntsList("pad_width");
    String mode = attrs.getString("pad_mode");
    int[] is = x.shape();
    int[] os = outType.shape();
    NDArray y = NDArray.zeros(x.dtype(), os);
    NDArray fill = NDArray.zeros(x.dtype());
    fill.setDouble(0, value.getDouble(0));
    for (int i = 0; i < y.size(); i++) {
      int[] idx = Types.unravel(i, os);
      boolean inside = true;
      for (int d = 0; d < idx.length; d++) {
        int s = idx[d] - pw[d][0];
        if (s < 0 || s >= is[d]) {
          inside = false;
          s = switch (mode) {
            case "edge" -> Math.min(Math.max(s, 0), is[d] - 1);
            case "reflect" -> s < 0 ? -s : 2 * (is[d] - 1) - s;
            default -> s;
          };
        }
        idx[d] = s;
      }
      y.setDouble(i, inside || !mode.equals("constant") ? x.getDouble(Types.ravel(idx, is)) : fill.getDouble(0));
    }
    return y;
  }
}
