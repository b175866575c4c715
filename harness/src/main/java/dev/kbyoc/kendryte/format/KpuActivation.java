package dev.kbyoc.kendryte.format;

import java.util.Arrays;

/**
 * The SDK's {@code kpu_activate_table_t}: 16 segments, each {@code shift_number} (8 bits), {@code
 * y_mul} (16 bits) and {@code x_start} (36 bits) in one register, followed by two registers holding
 * the 16 uint8 {@code result_bias} values. Segment i applies to x from its x_start on:
 * {@code y = carry_shift((x - x_start) * y_mul, shift) + bias}. x_start and y_mul are read as two's
 * complement, as nncase does. 144 bytes in the kmodel.
 */
public final class KpuActivation {
  /** Size of the table in the kmodel. */
  public static final int BYTES = 18 * 8;

  /** One segment. */
  public record Segment(long startX, int mul, int shift, int bias) {
    public Segment {
      if (startX < -(1L << 35) || startX >= (1L << 35)) {
        throw new IllegalArgumentException("x_start [" + startX + "] does not fit 36 signed bits");
      }
      if (mul < -32768 || mul > 32767) {
        throw new IllegalArgumentException("y_mul [" + mul + "] does not fit 16 signed bits");
      }
      if (shift < 0 || shift > 255) {
        throw new IllegalArgumentException("shift_number [" + shift + "] does not fit 8 bits");
      }
      if (bias < 0 || bias > 255) {
        throw new IllegalArgumentException("result_bias [" + bias + "] does not fit uint8");
      }
    }
  }

  private final Segment[] segments;

  private KpuActivation(Segment[] segments) {
    this.segments = segments;
  }

  /** A table of exactly 16 segments. */
  public static KpuActivation of(Segment... segments) {
    if (segments.length != 16) {
      throw new IllegalArgumentException("activation table needs 16 segments, got " + segments.length);
    }
    return new KpuActivation(segments.clone());
  }

  /** Decodes the 18 registers. */
  public static KpuActivation decode(long[] regs) {
    Segment[] s = new Segment[16];
    for (int i = 0; i < 16; i++) {
      long r = regs[i];
      int shift = (int) (r & 0xFF);
      int mul = (short) ((r >>> 8) & 0xFFFF);
      long start = (r >>> 24) & 0xFFFFFFFFFL;
      if ((start & (1L << 35)) != 0) {
        start -= 1L << 36;
      }
      int bias = (int) ((regs[16 + i / 8] >>> (8 * (i % 8))) & 0xFF);
      s[i] = new Segment(start, mul, shift, bias);
    }
    return new KpuActivation(s);
  }

  /** Encodes into 18 registers. */
  public long[] encode() {
    long[] r = new long[18];
    for (int i = 0; i < 16; i++) {
      Segment s = segments[i];
      r[i] = (s.shift() & 0xFFL) | ((s.mul() & 0xFFFFL) << 8) | ((s.startX() & 0xFFFFFFFFFL) << 24);
      r[16 + i / 8] |= (long) (s.bias() & 0xFF) << (8 * (i % 8));
    }
    return r;
  }

  public Segment segment(int i) {
    return segments[i];
  }

  /**
   * The segment for input x: the last one whose x_start is at most x (nncase v0.1.0-rc5's
   * emulator; v0.2's kernel uses {@code x > x_start}, which differs only when x equals a start).
   * Segment 0 when x lies below every start.
   */
  public int segmentFor(long x) {
    for (int i = 15; i >= 0; i--) {
      if (segments[i].startX() <= x) {
        return i;
      }
    }
    return 0;
  }

  /** The segment for a real-valued x (float mode). */
  public int segmentFor(double x) {
    for (int i = 15; i >= 0; i--) {
      if (segments[i].startX() <= x) {
        return i;
      }
    }
    return 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KpuActivation a && Arrays.equals(a.segments, segments);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(segments);
  }
}
