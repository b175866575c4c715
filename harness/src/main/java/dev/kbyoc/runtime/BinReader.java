package dev.kbyoc.runtime;

import dev.kbyoc.ir.KbyocException;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked little-endian reader: every read past the end, and every length field larger
 * than what is left, is a one-line {@link KbyocException} naming the source and the offset, so a
 * truncated or corrupted payload never becomes an out-of-memory error or a partial object.
 */
public final class BinReader {
  private final byte[] data;
  private final String source;
  private int pos;

  public BinReader(byte[] data, String source) {
    this.data = data;
    this.source = source;
  }

  public int position() {
    return pos;
  }

  public int remaining() {
    return data.length - pos;
  }

  public boolean atEnd() {
    return pos == data.length;
  }

  private void need(long n, String what) {
    if (n < 0 || n > remaining()) {
      throw fail(what + " needs " + n + " bytes but only " + remaining() + " remain");
    }
  }

  /** A one-line error naming the source and current offset. */
  public KbyocException fail(String message) {
    return new KbyocException(source + ": " + message + " at offset " + pos);
  }

  public int u8(String what) {
    need(1, what);
    return data[pos++] & 0xFF;
  }

  public long u32(String what) {
    need(4, what);
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v |= (long) (data[pos++] & 0xFF) << (8 * i);
    }
    return v;
  }

  /** A u32 used as a count or index, bounded by {@code max}. */
  public int count(String what, long max) {
    long v = u32(what);
    if (v > max) {
      throw fail(what + " " + v + " exceeds the limit " + max);
    }
    return (int) v;
  }

  public long u64(String what) {
    need(8, what);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v |= (long) (data[pos++] & 0xFF) << (8 * i);
    }
    return v;
  }

  public double f64(String what) {
    return Double.longBitsToDouble(u64(what));
  }

  public byte[] bytes(long n, String what) {
    need(n, what);
    byte[] b = new byte[(int) n];
    System.arraycopy(data, pos, b, 0, (int) n);
    pos += (int) n;
    return b;
  }

  public String str(String what) {
    long n = u32(what + " length");
    return new String(bytes(n, what), StandardCharsets.UTF_8);
  }
}
