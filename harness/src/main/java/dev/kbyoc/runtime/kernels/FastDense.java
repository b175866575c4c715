package dev.kbyoc.runtime.kernels;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;

/**
 * {@code nn.dense} for float32: each output is a dot product over K accumulated in double in
 * index order, exactly as the reference; four units share each load of the data row (four
 * independent accumulators, so the order within each sum is unchanged). Rows times unit blocks are
 * split across the shared pool.
 */
final class FastDense {
  private static final int BLOCK = 4;

  private FastDense() {}

  static boolean handles(NDArray x, NDArray w, TensorType out) {
    return x.dtype() == DType.FLOAT32 && w.dtype() == DType.FLOAT32 && out.dtype() == DType.FLOAT32;
  }

  static NDArray compute(NDArray data, NDArray weight, TensorType outType) {
    int units = weight.dim(0);
    int k = weight.dim(1);
    int[] os = outType.shape();
    int rows = data.size() / k;
    NDArray out = NDArray.zeros(DType.FLOAT32, os);
    float[] x = data.floatData();
    float[] w = weight.floatData();
    float[] y = out.floatData();
    int blocks = (units + BLOCK - 1) / BLOCK;
    Parallel.forEach(rows * blocks, (long) k * BLOCK, job -> block(x, w, y, k, units, job / blocks, job % blocks));
    return out;
  }

  private static void block(float[] x, float[] w, float[] y, int k, int units, int r, int b) {
    int u = b * BLOCK;
    int xb = r * k;
    if (u + BLOCK <= units) {
      int w0 = u * k;
      int w1 = w0 + k;
      int w2 = w1 + k;
      int w3 = w2 + k;
      double a0 = 0;
      double a1 = 0;
      double a2 = 0;
      double a3 = 0;
      for (int i = 0; i < k; i++) {
        double xv = x[xb + i];
        a0 += xv * w[w0 + i];
        a1 += xv * w[w1 + i];
        a2 += xv * w[w2 + i];
        a3 += xv * w[w3 + i];
      }
      int yb = r * units + u;
      y[yb] = (float) a0;
      y[yb + 1] = (float) a1;
      y[yb + 2] = (float) a2;
      y[yb + 3] = (float) a3;
      return;
    }
    for (; u < units; u++) {
      double a = 0;
      int wb = u * k;
      for (int i = 0; i < k; i++) {
        a += (double) x[xb + i] * w[wb + i];
      }
      y[r * units + u] = (float) a;
    }
  }
}
