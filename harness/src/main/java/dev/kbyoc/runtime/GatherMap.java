package dev.kbyoc.runtime;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.TupleType;
import dev.kbyoc.ir.TupleValue;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Value;
import dev.kbyoc.op.OpDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where each output element of a pure data-movement op comes from, found by running the op's
 * reference kernel once on "iota" inputs: input {@code j} holds the float values
 * {@code offset_j, offset_j + 1, ...} (the running element count of the inputs before it), so each
 * output value names its source element. Exact for fewer than 2^24 input elements. Only ops whose
 * every output element is a copy of one input element qualify (a fixed list: concatenate,
 * transpose, strided_slice, nearest-neighbour resize without the extrapolating crop mode), since
 * an arithmetic op could also turn indices into indices; each value is still checked to be a
 * whole index in range. The runtime then copies instead of recomputing the index arithmetic per
 * run ({@link FloatSteps.Gather}).
 */
final class GatherMap {
  private static final Set<String> MOVES = Set.of("concatenate", "transpose", "strided_slice", "image.resize2d");
  private static final int EXACT_LIMIT = 1 << 24;

  private GatherMap() {}

  /** The source of each output element as an index into the inputs laid end to end, or null if the op does not qualify. */
  static int[] of(Call c) {
    String name = ((dev.kbyoc.ir.Op) c.op()).name();
    Attrs at = c.fullAttrs();
    if (!MOVES.contains(name) || name.equals("image.resize2d") && (!at.getString("method").equals("nearest_neighbor")
        || at.getString("coordinate_transformation_mode").equals("tf_crop_and_resize"))) {
      return null;
    }
    if (!(c.checkedType() instanceof TensorType out) || out.dtype() != DType.FLOAT32) {
      return null;
    }
    long total = 0;
    for (Expr a : c.args()) {
      for (TensorType t : FloatProgramCompiler.flat(a.checkedType())) {
        total += t.size();
      }
    }
    if (total >= EXACT_LIMIT) {
      return null;
    }
    int[] next = {0};
    List<Value> args = new ArrayList<>();
    List<Type> types = new ArrayList<>();
    for (Expr a : c.args()) {
      Type t = a.checkedType();
      types.add(t);
      if (t instanceof TensorType tt) {
        args.add(iota(tt, next));
      } else if (t instanceof TupleType tup) {
        List<Value> fields = new ArrayList<>();
        for (Type f : tup.fields()) {
          fields.add(iota((TensorType) f, next));
        }
        args.add(new TupleValue(fields));
      } else {
        return null;
      }
    }
    NDArray y = OpDef.of(name).kernel().compute(args, at, out).asTensor();
    float[] v = y.floatData();
    int[] map = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      if (!(v[i] >= 0 && v[i] < next[0] && v[i] == (int) v[i])) {
        return null;
      }
      map[i] = (int) v[i];
    }
    return map;
  }

  private static NDArray iota(TensorType t, int[] next) {
    NDArray a = NDArray.zeros(DType.FLOAT32, t.shape());
    float[] d = a.floatData();
    for (int i = 0; i < d.length; i++) {
      d[i] = next[0] + i;
    }
    next[0] += d.length;
    return a;
  }
}
