package dev.kbyoc.kendryte.sim;

import dev.kbyoc.ir.KbyocException;

/**
 * The kmodel's main-memory buffer ({@code main_mem_usage} bytes): float32 tensors stored as
 * little-endian bytes, uint8 tensors as bytes. In {@link SimMode#FLOAT} a shadow keeps each uint8
 * byte's unrounded value, clamped to [0, 255] unless the memory serves a float kmodel.
 */
public final class MainMemory {
  private final byte[] bytes;
  private final double[] shadow;
  private final boolean clamp;

  public MainMemory(long size, SimMode mode) {
    this(size, mode, true);
  }

  /** {@code clamp} false: uint8 shadows keep any value (a float kmodel's tensors). */
  public MainMemory(long size, SimMode mode, boolean clamp) {
    this.bytes = new byte[Math.toIntExact(size)];
    this.shadow = mode == SimMode.FLOAT ? new double[bytes.length] : null;
    this.clamp = clamp;
  }

  public int size() {
    return bytes.length;
  }

  /** Throws a one-line error naming {@code who} when [addr, addr+n) is not inside the buffer. */
  public void check(long addr, long n, String who) {
    if (addr < 0 || n < 0 || addr + n > bytes.length) {
      throw new KbyocException(who + ": main memory bytes [" + addr + ", " + (addr + n) + ") exceed main_mem_usage "
          + bytes.length);
    }
  }

  public float getF32(int addr) {
    int v = (bytes[addr] & 0xFF) | (bytes[addr + 1] & 0xFF) << 8 | (bytes[addr + 2] & 0xFF) << 16
        | (bytes[addr + 3] & 0xFF) << 24;
    return Float.intBitsToFloat(v);
  }

  public void putF32(int addr, float f) {
    int v = Float.floatToRawIntBits(f);
    for (int i = 0; i < 4; i++) {
      bytes[addr + i] = (byte) (v >>> (8 * i));
    }
  }

  /** A uint8 value (its unrounded shadow in float mode). */
  public double getQ(int addr) {
    return shadow != null ? shadow[addr] : bytes[addr] & 0xFF;
  }

  /**
   * Stores a uint8 value. In uint8 mode {@code v} is an integer in [0, 255]; in float mode the
   * byte gets the rounded, clamped value and the shadow the clamped value.
   */
  public void putQ(int addr, double v) {
    bytes[addr] = toByte(v);
    if (shadow != null) {
      shadow[addr] = clamp ? Math.max(0, Math.min(255, v)) : v;
    }
  }

  /** Copies n bytes (and shadows) within main memory, like memcpy. */
  public void copy(int from, int to, int n) {
    System.arraycopy(bytes, from, bytes, to, n);
    if (shadow != null) {
      System.arraycopy(shadow, from, shadow, to, n);
    }
  }

  static byte toByte(double v) {
    int i = (int) v;
    if (i == v && (i & ~0xFF) == 0) {
      return (byte) i; // already a uint8 value (every value of the uint8 mode): Math.round is the identity
    }
    long r = Math.round(v);
    return (byte) Math.max(0, Math.min(255, r));
  }
}
