package dev.kbyoc.op;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.KbyocException;
import java.util.Arrays;

/**
 * Shared arithmetic of 2-D sliding-window ops (convolution, pooling): Relay's padding forms and
 * output sizes, as TVM's {@code GetPaddingHeightWidth} and {@code calculate_pool_dimension}.
 * Public so that target support rules (e.g. Kendryte's "3x3 pads 1") read padding the same way.
 */
public final class Window2d {
  private Window2d() {}

  /**
   * Relay's {@code padding} attribute as {@code {top, left, bottom, right}}: one value pads all
   * sides, two values are (top and bottom, left and right), four are (top, left, bottom, right).
   */
  public static int[] padding(Attrs attrs) {
    int[] p = Types.requireInts(attrs, "padding");
    for (int v : p) {
      if (v < 0) {
        throw new KbyocException("attribute [padding] must be non-negative, got " + Arrays.toString(p));
      }
    }
    return switch (p.length) {
      case 1 -> new int[] {p[0], p[0], p[0], p[0]};
      case 2 -> new int[] {p[0], p[1], p[0], p[1]};
      case 4 -> p.clone();
      default -> throw new KbyocException("attribute [padding] must have 1, 2 or 4 values, got " + Arrays.toString(p));
    };
  }

  /**
   * One spatial output size: {@code (in + pad - dilated_kernel) / stride + 1}, rounding up when
   * {@code ceil}; an error naming the dimension when the (dilated) window does not fit.
   */
  public static int outDim(String dim, int in, int pad, int kernel, int dilation, int stride, boolean ceil) {
    int dk = (kernel - 1) * dilation + 1;
    int span = in + pad - dk + (ceil ? stride - 1 : 0);
    if (span < 0) {
      throw new KbyocException(dim + ": dilated window " + dk + " is larger than padded input " + (in + pad));
    }
    return span / stride + 1;
  }

  /** Position of N, C, H, W in a 4-letter layout such as NCHW or NHWC. */
  public record Layout(String name, int n, int c, int h, int w) {
    public static Layout parse(String layout, String attr) {
      if (layout.length() != 4 || !layout.chars().sorted().collect(StringBuilder::new,
          StringBuilder::appendCodePoint, StringBuilder::append).toString().equals("CHNW")) {
        throw new KbyocException("attribute [" + attr + "] must be a permutation of NCHW such as NCHW or NHWC, got ["
            + layout + "]");
      }
      return new Layout(layout, layout.indexOf('N'), layout.indexOf('C'), layout.indexOf('H'), layout.indexOf('W'));
    }

    /** Flat C-order offset of element (n, c, h, w) in a tensor of this layout and {@code shape}. */
    public int offset(int[] shape, int nn, int cc, int hh, int ww) {
      int[] idx = new int[4];
      idx[n] = nn;
      idx[c] = cc;
      idx[h] = hh;
      idx[w] = ww;
      return ((idx[0] * shape[1] + idx[1]) * shape[2] + idx[2]) * shape[3] + idx[3];
    }
  }
}
