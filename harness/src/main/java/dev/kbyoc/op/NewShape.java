package dev.kbyoc.op;

import dev.kbyoc.ir.KbyocException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Relay's {@code reshape} {@code newshape} rules (TVM v0.8 {@code InferNewShape}): a positive
 * value is taken as is; {@code 0} copies the input dim at the same position; {@code -1} is
 * inferred from the remaining elements (at most one); {@code -2} copies all remaining input
 * dims; {@code -3} merges the next two input dims; {@code -4 a b} splits the next input dim into
 * {@code a x b}, one of which may be {@code -1}.
 */
final class NewShape {
  private NewShape() {}

  static int[] infer(int[] in, int[] newshape) {
    String where = "newshape " + Arrays.toString(newshape) + " for input shape " + Arrays.toString(in);
    List<Integer> out = new ArrayList<>();
    int src = 0;
    int inferAt = -1;
    for (int i = 0; i < newshape.length; i++) {
      int v = newshape[i];
      if (v > 0) {
        out.add(v);
        src++;
      } else if (v == 0) {
        if (src >= in.length) {
          throw new KbyocException(where + ": 0 at position " + i + " has no input dim to copy");
        }
        out.add(in[src++]);
      } else if (v == -1) {
        if (inferAt >= 0) {
          throw new KbyocException(where + ": more than one -1");
        }
        inferAt = out.size();
        out.add(1);
        src++;
      } else if (v == -2) {
        while (src < in.length) {
          out.add(in[src++]);
        }
      } else if (v == -3) {
        if (src + 1 >= in.length) {
          throw new KbyocException(where + ": -3 at position " + i + " needs two input dims to merge");
        }
        out.add(in[src] * in[src + 1]);
        src += 2;
      } else if (v == -4) {
        if (i + 2 >= newshape.length || src >= in.length) {
          throw new KbyocException(where + ": -4 at position " + i + " needs two following values and an input dim");
        }
        int d0 = in[src++];
        int d1 = newshape[++i];
        int d2 = newshape[++i];
        if (d1 == -1 && d2 == -1 || d1 < -1 || d2 < -1 || d1 == 0 || d2 == 0) {
          throw new KbyocException(where + ": bad split [" + d1 + ", " + d2 + "] after -4");
        }
        d1 = d1 == -1 ? d0 / d2 : d1;
        d2 = d2 == -1 ? d0 / d1 : d2;
        if ((long) d1 * d2 != d0) {
          throw new KbyocException(where + ": split [" + d1 + ", " + d2 + "] does not multiply to input dim " + d0);
        }
        out.add(d1);
        out.add(d2);
      } else {
        throw new KbyocException(where + ": unsupported value " + v + " (allowed: positive, 0, -1, -2, -3, -4)");
      }
    }
    long total = 1;
    for (int d : in) {
      total *= d;
    }
    if (inferAt >= 0) {
      long rest = 1;
      for (int j = 0; j < out.size(); j++) {
        rest *= j == inferAt ? 1 : out.get(j);
      }
      if (rest == 0 || total % rest != 0) {
        throw new KbyocException(where + ": cannot infer -1 (" + total + " elements not divisible by " + rest + ")");
      }
      out.set(inferAt, Math.toIntExact(total / rest));
    }
    int[] shape = out.stream().mapToInt(Integer::intValue).toArray();
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (n != total) {
      throw new KbyocException(where + ": gives " + Arrays.toString(shape) + " with " + n + " elements, input has " + total);
    }
    return shape;
  }
}
