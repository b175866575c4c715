package dev.kbyoc.kendryte.format;

/**
 * The batchnorm and activation tables of a K210_CONV layer in a kbyoc float kmodel (header flags
 * bit 1, {@link Kmodel#FLAG_FLOAT}). They take the places and sizes of the KPU's registers so the
 * body layout does not change:
 * <ul>
 *   <li>batchnorm, 8 bytes per output channel at {@code bn_offset} (the size of the
 *       {@code kpu_batchnorm_argument_t} array): the little-endian float32 {@code scale} of every
 *       channel, then the float32 {@code bias} of every channel; the layer computes
 *       {@code y = float32(float32(acc) * scale + bias)}. Biases are contiguous so that a bias
 *       constant is found in the file by content, like the weights;
 *   <li>activation, 144 bytes at {@code act_offset} (the size of {@code kpu_activate_table_t}):
 *       {@value #SEGMENTS} segments of three float32 {@code x_start, slope, bias}; segment 0 starts
 *       at -infinity, starts ascend, and the last segment with {@code x_start <= y} gives
 *       {@code z = y * slope + bias}; unused trailing segments repeat the last used one.
 * </ul>
 * Relu is {-inf: 0 y + 0, 0: 1 y + 0} and relu6 adds {6: 0 y + 6}, so both are exact in float32.
 */
public final class FloatKpuTables {
  /** Segments of the float activation table. */
  public static final int SEGMENTS = 12;

  private FloatKpuTables() {}

  /** One activation segment: for {@code y >= xStart}, {@code y * slope + bias}. */
  public record Segment(float xStart, float slope, float bias) {}

  /**
   * The batchnorm registers of {@code scale.length} channels: the little-endian float32 scales of
   * every channel, then their biases, cut into 8-byte registers.
   */
  public static long[] batchNorm(float[] scale, float[] bias) {
    int n = scale.length;
    byte[] b = new byte[8 * n];
    for (int c = 0; c < n; c++) {
      putF32(b, 4 * c, scale[c]);
      putF32(b, 4 * (n + c), bias[c]);
    }
    long[] regs = new long[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 8; k++) {
        regs[i] |= (b[8 * i + k] & 0xFFL) << (8 * k);
      }
    }
    return regs;
  }

  /** The per-channel scales of batchnorm registers. */
  public static float[] scales(long[] regs) {
    return floats(regs, 0);
  }

  /** The per-channel biases of batchnorm registers. */
  public static float[] biases(long[] regs) {
    return floats(regs, regs.length);
  }

  private static float[] floats(long[] regs, int from) {
    float[] r = new float[regs.length];
    for (int c = 0; c < r.length; c++) {
      int word = from + c;
      long reg = regs[word / 2];
      r[c] = Float.intBitsToFloat((int) (word % 2 == 0 ? reg : reg >>> 32));
    }
    return r;
  }

  private static void putF32(byte[] b, int at, float v) {
    int bits = Float.floatToRawIntBits(v);
    for (int k = 0; k < 4; k++) {
      b[at + k] = (byte) (bits >>> (8 * k));
    }
  }

  /** Linear (no activation), relu or relu6 (act 0, 1, 2) as segments. */
  public static Segment[] standard(int act) {
    Segment lin = new Segment(Float.NEGATIVE_INFINITY, act == 0 ? 1 : 0, 0);
    return switch (act) {
      case 0 -> new Segment[] {lin};
      case 1 -> new Segment[] {lin, new Segment(0, 1, 0)};
      case 2 -> new Segment[] {lin, new Segment(0, 1, 0), new Segment(6, 0, 6)};
      default -> throw new IllegalArgumentException("activation " + act + " is not 0, 1 or 2");
    };
  }

  /** The 18 registers (144 bytes) of an activation table of 1 to {@value #SEGMENTS} segments. */
  public static long[] encode(Segment[] used) {
    if (used.length == 0 || used.length > SEGMENTS) {
      throw new IllegalArgumentException("a float activation table has 1 to " + SEGMENTS + " segments, got "
          + used.length);
    }
    float[] f = new float[3 * SEGMENTS];
    for (int s = 0; s < SEGMENTS; s++) {
      Segment g = used[Math.min(s, used.length - 1)];
      f[3 * s] = g.xStart();
      f[3 * s + 1] = g.slope();
      f[3 * s + 2] = g.bias();
    }
    long[] regs = new long[KpuActivation.BYTES / 8];
    for (int r = 0; r < regs.length; r++) {
      regs[r] = Integer.toUnsignedLong(Float.floatToRawIntBits(f[2 * r]))
          | (Integer.toUnsignedLong(Float.floatToRawIntBits(f[2 * r + 1])) << 32);
    }
    return regs;
  }

  /** The {@value #SEGMENTS} segments of 18 activation registers. */
  public static Segment[] decode(long[] regs) {
    float[] f = new float[2 * regs.length];
    for (int r = 0; r < regs.length; r++) {
      f[2 * r] = Float.intBitsToFloat((int) regs[r]);
      f[2 * r + 1] = Float.intBitsToFloat((int) (regs[r] >>> 32));
    }
    Segment[] s = new Segment[SEGMENTS];
    for (int i = 0; i < SEGMENTS; i++) {
      s[i] = new Segment(f[3 * i], f[3 * i + 1], f[3 * i + 2]);
    }
    return s;
  }

  /** Null when the segments are well formed (segment 0 at -inf, ascending starts), else why not. */
  public static String problem(Segment[] s) {
    if (s[0].xStart() != Float.NEGATIVE_INFINITY) {
      return "float activation segment 0 starts at " + s[0].xStart() + ", not -inf";
    }
    for (int i = 1; i < s.length; i++) {
      if (!(s[i].xStart() >= s[i - 1].xStart())) {
        return "float activation segment " + i + " starts at " + s[i].xStart() + ", below segment " + (i - 1)
            + "'s " + s[i - 1].xStart();
      }
    }
    return null;
  }

  /** The activation of a value: the last segment whose start is at most y, in float32. */
  public static float apply(Segment[] s, float y) {
    int i = s.length - 1;
    while (i > 0 && !(s[i].xStart() <= y)) {
      i--;
    }
    return (float) ((double) y * s[i].slope() + s[i].bias());
  }
}
