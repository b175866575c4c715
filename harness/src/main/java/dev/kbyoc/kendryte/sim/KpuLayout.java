package dev.kbyoc.kendryte.sim;

/**
 * The KPU's channel-row layout of a feature map in KPU RAM, as in the SDK's {@code
 * kpu_upload_core}: a row occupies {@code rowLen} 64-byte lines; rows of width &lt;= 16 pack 4
 * channels per line (16-byte pitch), width &lt;= 32 pack 2 (32-byte pitch), wider rows use whole
 * lines. Channel c starts at {@code c / groups * rowLen * height * 64 + c % groups * rowPitch}.
 */
public record KpuLayout(int groups, int rowLen, int rowPitch) {
  /** Bytes per KPU RAM line. */
  public static final int LINE = 64;

  /** The layout for a row width. */
  public static KpuLayout of(int width) {
    if (width <= 16) {
      return new KpuLayout(4, 1, 16);
    }
    if (width <= 32) {
      return new KpuLayout(2, 1, 32);
    }
    return new KpuLayout(1, (width + 63) / 64, 64);
  }

  /** Lines used by a width x height x channels map (nncase's {@code get_kpu_rows}). */
  public static long lines(int width, int height, int channels) {
    KpuLayout l = of(width);
    long oneLine = Math.min(channels, l.groups);
    long blocks = (channels + oneLine - 1) / oneLine;
    return (long) l.rowLen * height * blocks;
  }

  /** Byte offset of (c, y, 0) relative to the map's first line. */
  public long offset(int c, int y, int height) {
    return (long) (c / groups) * rowLen * height * LINE + (long) (c % groups) * rowPitch + (long) y * rowLen * LINE;
  }
}
