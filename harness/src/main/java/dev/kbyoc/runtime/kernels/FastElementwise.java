package dev.kbyoc.runtime.kernels;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;

/**
 * float32 elementwise kernels: the four arithmetic binaries with numpy broadcasting, {@code nn.relu},
 * {@code clip} and {@code nn.bias_add}. For +, -, *, / one float operation rounds exactly as the
 * reference's double operation rounded to float does (double has more than twice float's
 * precision), so the results are identical; relu and clip reproduce the reference's expressions.
 */
final class FastElementwise {
  /** The binary operations with a fast path. */
  enum BinOp { ADD, SUBTRACT, MULTIPLY, DIVIDE }

  private FastElementwise() {}

  static boolean allFloat(NDArray a, NDArray b, TensorType out) {
    return a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32 && out.dtype() == DType.FLOAT32;
  }

  /** numpy-broadcast {@code a op b} into a fresh tensor of shape {@code out}. */
  static NDArray binary(NDArray a, NDArray b, TensorType out, BinOp op) {
    int[] os = out.shape();
    NDArray y = NDArray.zeros(DType.FLOAT32, os);
    float[] av = a.floatData();
    float[] bv = b.floatData();
    float[] yv = y.floatData();
    int r = os.length;
    int inner = r == 0 ? 1 : os[r - 1];
    int[] sa = strides(a.shape(), os);
    int[] sb = strides(b.shape(), os);
    int ia = r == 0 ? 0 : sa[r - 1];
    int ib = r == 0 ? 0 : sb[r - 1];
    int rows = inner == 0 ? 0 : yv.length / inner;
    int[] idx = new int[Math.max(r - 1, 0)];
    for (int row = 0; row < rows; row++) {
      int oa = 0;
      int ob = 0;
      for (int d = 0; d < idx.length; d++) {
        oa += idx[d] * sa[d];
        ob += idx[d] * sb[d];
      }
      row(av, oa, ia, bv, ob, ib, yv, row * inner, inner, op);
      for (int d = idx.length - 1; d >= 0 && ++idx[d] == os[d]; d--) {
        idx[d] = 0;
      }
    }
    return y;
  }

  private static void row(float[] a, int oa, int ia, float[] b, int ob, int ib, float[] y, int oy, int n, BinOp op) {
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) {
          y[oy + i] = a[oa + i * ia] + b[ob + i * ib];
        }
      }
      case SUBTRACT -> {
        for (int i = 0; i < n; i++) {
          y[oy + i] = a[oa + i * ia] - b[ob + i * ib];
        }
      }
      case MULTIPLY -> {
        for (int i = 0; i < n; i++) {
          y[oy + i] = a[oa + i * ia] * b[ob + i * ib];
        }
      }
      case DIVIDE -> {
        for (int i = 0; i < n; i++) {
          y[oy + i] = a[oa + i * ia] / b[ob + i * ib];
        }
      }
    }
  }

  /** Strides of {@code shape} aligned right against {@code out}, 0 on broadcast dimensions. */
  private static int[] strides(int[] shape, int[] out) {
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

  /** {@code nn.relu}: {@code x > 0 ? x : 0} (so -0 and NaN give +0, as the reference). */
  static NDArray relu(NDArray x) {
    float[] a = x.floatData();
    NDArray y = NDArray.zeros(DType.FLOAT32, x.shape());
    float[] b = y.floatData();
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i] > 0 ? a[i] : 0f;
    }
    return y;
  }

  /** {@code clip}: {@code min(max(x, lo), hi)} in double, stored as float. */
  static NDArray clip(NDArray x, double lo, double hi) {
    float[] a = x.floatData();
    NDArray y = NDArray.zeros(DType.FLOAT32, x.shape());
    float[] b = y.floatData();
    for (int i = 0; i < a.length; i++) {
      b[i] = (float) Math.min(Math.max(a[i], lo), hi);
    }
    return y;
  }

  /** {@code nn.bias_add} with the data viewed as (outer, channels, inner) around the axis. */
  static NDArray biasAdd(NDArray x, NDArray bias, int[] around) {
    float[] a = x.floatData();
    float[] bv = bias.floatData();
    NDArray y = NDArray.zeros(DType.FLOAT32, x.shape());
    float[] out = y.floatData();
    int i = 0;
    for (int o = 0; o < around[0]; o++) {
      for (int c = 0; c < around[1]; c++) {
        float b = bv[c];
        for (int j = 0; j < around[2]; j++, i++) {
          out[i] = a[i] + b;
        }
      }
    }
    return y;
  }
}
