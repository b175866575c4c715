package dev.kbyoc.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Little-endian binary writer for kbyoc's own module payloads (strings are u32 length + UTF-8). */
public final class BinWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public BinWriter u8(int v) {
    out.write(v & 0xFF);
    return this;
  }

  public BinWriter u32(long v) {
    for (int i = 0; i < 4; i++) {
      out.write((int) (v >>> (8 * i)) & 0xFF);
    }
    return this;
  }

  public BinWriter u64(long v) {
    for (int i = 0; i < 8; i++) {
      out.write((int) (v >>> (8 * i)) & 0xFF);
    }
    return this;
  }

  public BinWriter f64(double v) {
    return u64(Double.doubleToRawLongBits(v));
  }

  public BinWriter bytes(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  public BinWriter str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    u32(b.length);
    return bytes(b);
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
