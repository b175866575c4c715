package dev.kbyoc.kendryte.sim;

/**
 * The KPU pooling stage after the activation, following nncase v0.2's {@code kpu_pool2d}: output
 * size is input / stride; max windows ignore positions past the edge (they read as 0, the uint8
 * minimum); mean windows clamp positions to the edge and divide the sum by the full window size
 * (flooring in uint8 mode, exact in float mode); selection types read one position of each window.
 * nncase v0.1.0-rc5 implements only types 1-5 and averages over in-bounds positions only, which
 * differs from this at the right/bottom edge of the stride-1 mean pool.
 */
public final class KpuPoolUnit {
  private KpuPoolUnit() {}

  /** {@code kpu_pool_type_t} names, indexed by value. */
  public static final String[] NAMES = {
    "bypass", "max_2_s2", "mean_2_s2", "max_4_s4", "mean_4_s4", "left_top_2_s2", "right_top_2_s2",
    "left_top_4_s4", "mean_2_s1", "max_2_s1"
  };

  /** Window size of a pool type. */
  public static int filter(int type) {
    return switch (type) {
      case 0 -> 1;
      case 3, 4, 7 -> 4;
      default -> 2;
    };
  }

  /** Stride of a pool type. */
  public static int stride(int type) {
    return switch (type) {
      case 0, 8, 9 -> 1;
      case 3, 4, 7 -> 4;
      default -> 2;
    };
  }

  /** Output size along one axis. */
  public static int outputSize(int in, int type) {
    return in / stride(type);
  }

  /** Pools a C x H x W map. */
  static double[] pool(double[] in, int c, int h, int w, int type, SimMode mode) {
    if (type == 0) {
      return in;
    }
    int f = filter(type);
    int s = stride(type);
    int oh = h / s;
    int ow = w / s;
    double[] out = new double[c * oh * ow];
    int o = 0;
    for (int ch = 0; ch < c; ch++) {
      int base = ch * h * w;
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          int y0 = oy * s;
          int x0 = ox * s;
          double v = 0;
          switch (type) {
            case 1, 3, 9 -> {
              for (int ky = 0; ky < f; ky++) {
                for (int kx = 0; kx < f; kx++) {
                  int y = y0 + ky;
                  int x = x0 + kx;
                  double in1 = y < h && x < w ? in[base + y * w + x] : 0;
                  v = Math.max(v, in1);
                }
              }
            }
            case 2, 4, 8 -> {
              double sum = 0;
              for (int ky = 0; ky < f; ky++) {
                for (int kx = 0; kx < f; kx++) {
                  int y = Math.min(y0 + ky, h - 1);
                  int x = Math.min(x0 + kx, w - 1);
                  sum += in[base + y * w + x];
                }
              }
              v = mode == SimMode.UINT8 ? Math.floor(sum / (f * f)) : sum / (f * f);
            }
            case 6 -> v = x0 + 1 < w ? in[base + y0 * w + x0 + 1] : 0;
            default -> v = in[base + y0 * w + x0];
          }
          out[o++] = v;
        }
      }
    }
    return out;
  }
}
