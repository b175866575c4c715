package dev.kbyoc.kendryte.sim;

import dev.kbyoc.ir.KbyocException;

/**
 * The KPU's 2 MiB of RAM, addressed in 64-byte lines (32768 lines). Feature maps live in the
 * {@link KpuLayout} channel-row layout. In {@link SimMode#FLOAT} a shadow keeps each byte's
 * unrounded value, clamped to [0, 255] unless the memory serves a float kmodel.
 */
public final class KpuRam {
  /** Bytes of KPU RAM. */
  public static final int BYTES = 2 << 20;
  /** Lines of KPU RAM. */
  public static final int LINES = BYTES / KpuLayout.LINE;

  private final byte[] bytes = new byte[BYTES];
  private final double[] shadow;
  private final boolean clamp;

  public KpuRam(SimMode mode) {
    this(mode, true);
  }

  /** {@code clamp} false: shadows keep any value (a float kmodel's tensors). */
  public KpuRam(SimMode mode, boolean clamp) {
    this.shadow = mode == SimMode.FLOAT ? new double[BYTES] : null;
    this.clamp = clamp;
  }

  private void check(long line, int w, int h, int c, String who) {
    long need = KpuLayout.lines(w, h, c);
    if (line < 0 || line + need > LINES) {
      throw new KbyocException(who + ": a " + c + "x" + h + "x" + w + " map at KPU RAM line " + line + " needs "
          + need * KpuLayout.LINE + " bytes up to byte " + (line + need) * KpuLayout.LINE + ", beyond the "
          + BYTES + "-byte KPU RAM");
    }
  }

  /** Stores a C x H x W map (C-order values) at a line address in the channel-row layout. */
  public void upload(long line, double[] chw, int w, int h, int c, String who) {
    check(line, w, h, c, who);
    KpuLayout l = KpuLayout.of(w);
    long base = line * KpuLayout.LINE;
    int i = 0;
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < h; y++) {
        int o = (int) (base + l.offset(ch, y, h));
        if (shadow == null) {
          for (int x = 0; x < w; x++) {
            bytes[o + x] = MainMemory.toByte(chw[i++]);
          }
        } else {
          for (int x = 0; x < w; x++) {
            put(o + x, chw[i++]);
          }
        }
      }
    }
  }

  /** Loads a C x H x W map from a line address. */
  public double[] download(long line, int w, int h, int c, String who) {
    check(line, w, h, c, who);
    KpuLayout l = KpuLayout.of(w);
    long base = line * KpuLayout.LINE;
    double[] r = new double[w * h * c];
    int i = 0;
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < h; y++) {
        int o = (int) (base + l.offset(ch, y, h));
        for (int x = 0; x < w; x++) {
          r[i++] = get(o + x);
        }
      }
    }
    return r;
  }

  /** The value at a byte address (its shadow in float mode). */
  public double get(int byteAddr) {
    return shadow != null ? shadow[byteAddr] : bytes[byteAddr] & 0xFF;
  }

  /** Stores a value at a byte address; see {@link MainMemory#putQ}. */
  public void put(int byteAddr, double v) {
    bytes[byteAddr] = MainMemory.toByte(v);
    if (shadow != null) {
      shadow[byteAddr] = clamp ? Math.max(0, Math.min(255, v)) : v;
    }
  }

  /** Checks that a byte range lies in KPU RAM. */
  public static void checkBytes(long byteAddr, long n, String who) {
    if (byteAddr < 0 || byteAddr + n > BYTES) {
      throw new KbyocException(who + ": KPU RAM bytes [" + byteAddr + ", " + (byteAddr + n) + ") lie beyond the "
          + BYTES + "-byte KPU RAM");
    }
  }
}
