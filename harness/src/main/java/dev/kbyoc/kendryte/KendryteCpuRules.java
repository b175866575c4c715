package dev.kbyoc.kendryte;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.TupleType;
import dev.kbyoc.ir.Type;
import java.util.Arrays;

/**
 * The part of {@link KendryteRules} for ops the codegen lowers to kmodel v3 CPU layers (the
 * K210's RISC-V cores run them inside {@code kpu_run_kmodel}): elementwise add of two tensors
 * (QUANTIZED_ADD / ADD), channel concatenation (QUANTIZED_CONCAT / CONCAT), nearest resize
 * (QUANTIZED_RESIZE_NEAREST_NEIGHBOR / RESIZE_NEAREST_NEIGHBOR), global average pooling
 * (GLOBAL_AVERAGE_POOL2D), batch_flatten (no layer), dense (FULLY_CONNECTED) and softmax
 * (SOFTMAX). Each check returns null when supported, else a one-line reason.
 */
final class KendryteCpuRules {
  private KendryteCpuRules() {}

  /** {@code add} of two tensors of one shape (no broadcasting): QUANTIZED_ADD or ADD. */
  static String tensorAdd(Call call) {
    int[] a = call.arg(0).tensorType().shape();
    int[] b = call.arg(1).tensorType().shape();
    if (!Arrays.equals(a, b)) {
      return "add: only a per-channel bias or the sum of two tensors of one shape is offloaded, got "
          + Arrays.toString(a) + " + " + Arrays.toString(b);
    }
    return null;
  }

  /** concatenate along the channel axis of NCHW maps, or of [1, N] vectors. */
  static String concatenate(Call call, Attrs at) {
    Type t = call.arg(0).checkedType();
    if (!(t instanceof TupleType tup) || tup.fields().isEmpty()) {
      return "concatenate: argument is not a typed tuple";
    }
    int rank = call.tensorType().rank();
    int axis = at.getInt("axis");
    axis = axis < 0 ? axis + rank : axis;
    if (axis != 1 || (rank != 4 && rank != 2)) {
      return "concatenate: axis " + at.getInt("axis") + " of rank " + rank + " is not the channel axis 1 of NCHW"
          + " (the kmodel CONCAT appends whole tensors)";
    }
    return null;
  }

  /**
   * image.resize2d nearest_neighbor, NCHW, asymmetric coordinates with floor rounding (the SDK's
   * {@code floorf(y * in / out)}), scaling each axis up by a power of two or down by an integer
   * (where the float32 index arithmetic of the SDK and topi agree exactly).
   */
  static String resize(Call call, Attrs at) {
    String n = "image.resize2d";
    if (!at.getString("layout").equals("NCHW")) {
      return n + ": layout " + at.getString("layout") + " is not NCHW";
    }
    if (!at.getString("method").equals("nearest_neighbor")) {
      return n + ": method " + at.getString("method") + " is not nearest_neighbor (the kmodel has no bilinear layer)";
    }
    String mode = at.getString("coordinate_transformation_mode");
    String round = at.getString("rounding_method");
    if (!mode.equals("asymmetric") || !(round.equals("floor") || round.isEmpty())) {
      return n + ": coordinate_transformation_mode " + mode + " with rounding_method '" + round
          + "' is not asymmetric + floor (the SDK's floorf(y * in / out))";
    }
    int[] in = call.arg(0).tensorType().shape();
    int[] out = call.tensorType().shape();
    for (int d = 2; d < 4; d++) {
      boolean up = out[d] % in[d] == 0 && Integer.bitCount(out[d] / in[d]) == 1;
      boolean down = in[d] % out[d] == 0;
      if (!up && !down) {
        return n + ": " + in[d] + " -> " + out[d] + " is neither a power-of-two upscale nor an integer downscale";
      }
    }
    return null;
  }

  static String globalAvgPool(Call call, Attrs at) {
    if (!at.getString("layout").equals("NCHW")) {
      return "nn.global_avg_pool2d: layout " + at.getString("layout") + " is not NCHW";
    }
    return call.arg(0).tensorType().rank() == 4 ? null : "nn.global_avg_pool2d: input is not rank 4";
  }

  static String dense(Call call) {
    TensorType x = call.arg(0).tensorType();
    if (x.rank() != 2) {
      return "nn.dense: input rank " + x.rank() + " is not 2";
    }
    return call.arg(1).tensorType().rank() == 2 ? null : "nn.dense: weight is not rank 2";
  }

  static String softmax(Call call, Attrs at) {
    int rank = call.tensorType().rank();
    int axis = at.getInt("axis");
    if (rank != 2 || (axis != -1 && axis != 1)) {
      return "nn.softmax: only a softmax over the vector of a [1, N] tensor maps to SOFTMAX, got rank " + rank
          + " axis " + axis;
    }
    return null;
  }
}
