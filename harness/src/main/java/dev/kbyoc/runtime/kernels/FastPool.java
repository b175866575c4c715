package dev.kbyoc.runtime.kernels;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.op.Window2d;

/**
 * NCHW float32 {@code nn.max_pool2d} and {@code nn.avg_pool2d}: the reference's loop (max starting
 * at {@code -Float.MAX_VALUE}, in-range taps only, average summed in double in window order and
 * divided by the tap count or, with {@code count_include_pad}, the window size) without its
 * per-element layout arithmetic and accessors, so the results are identical.
 */
final class FastPool {
  private FastPool() {}

  static NDArray compute(NDArray in, Attrs attrs, TensorType outType, boolean avg) {
    int[] is = in.shape();
    int[] os = outType.shape();
    int[] k = attrs.getInts("pool_size");
    int[] s = attrs.getInts("strides");
    int[] d = attrs.getInts("dilation");
    int[] p = Window2d.padding(attrs);
    boolean includePad = avg && attrs.getBool("count_include_pad");
    NDArray out = NDArray.zeros(DType.FLOAT32, os);
    float[] x = in.floatData();
    float[] y = out.floatData();
    int inPlane = is[2] * is[3];
    int outPlane = os[2] * os[3];
    for (int nc = 0; nc < os[0] * os[1]; nc++) {
      int ib = nc * inPlane;
      int ob = nc * outPlane;
      for (int oy = 0; oy < os[2]; oy++) {
        for (int ox = 0; ox < os[3]; ox++) {
          double acc = avg ? 0 : -Float.MAX_VALUE;
          int count = 0;
          for (int ky = 0; ky < k[0]; ky++) {
            int iy = oy * s[0] - p[0] + ky * d[0];
            if (iy < 0 || iy >= is[2]) {
              continue;
            }
            for (int kx = 0; kx < k[1]; kx++) {
              int ix = ox * s[1] - p[1] + kx * d[1];
              if (ix < 0 || ix >= is[3]) {
                continue;
              }
              double v = x[ib + iy * is[3] + ix];
              acc = avg ? acc + v : Math.max(acc, v);
              count++;
            }
          }
          if (avg) {
            acc /= includePad ? k[0] * k[1] : Math.max(count, 1);
          }
          y[ob + oy * os[3] + ox] = (float) acc;
        }
      }
    }
    return out;
  }
}
