package dev.kbyoc.runtime;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Limits;
import dev.kbyoc.ir.NDArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TVM's params binary, as written by {@code tvm.relay.save_param_dict} / {@code runtime::SaveParams}
 * (src/runtime/file_utils.cc) with each array in {@code SaveDLTensor}'s layout
 * (include/tvm/runtime/ndarray.h). All fields little-endian:
 *
 * <pre>
 * u64 0xF7E58D4F05049CB7 (kTVMNDArrayListMagic)   u64 reserved = 0
 * u64 name count, then per name: u64 byte length, UTF-8 bytes
 * u64 array count (= name count), then per array:
 *   u64 0xDD5E40F096B4A13F (kTVMNDArrayMagic)      u64 reserved = 0
 *   i32 device_type = 1 (kDLCPU)   i32 device_id = 0
 *   i32 ndim   u8 type code   u8 bits   u16 lanes = 1
 *   i64 shape[ndim]   i64 data byte size   data (C order)
 * </pre>
 *
 * The reader checks every length against the bytes that remain before allocating anything, so a
 * truncated or corrupt file fails with one line naming the file, the byte offset and the field.
 */
public final class ParamsFormat {
  /** {@code kTVMNDArrayListMagic}. */
  public static final long LIST_MAGIC = 0xF7E58D4F05049CB7L;
  /** {@code kTVMNDArrayMagic}. */
  public static final long ARRAY_MAGIC = 0xDD5E40F096B4A13FL;
  private static final int KDL_CPU = 1;
  /**
   * Test hook: false disables the bounds check of every length field read from the file (the
   * mutation {@code LengthCheckMutationTest} proves the fuzz corpus catches). Never false outside
   * that test.
   */
  static volatile boolean lengthChecks = true;

  private ParamsFormat() {}

  /** Serialises named arrays in map order. */
  public static byte[] encode(Map<String, NDArray> params) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      encode(params, out);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory write failed", e);
    }
    return out.toByteArray();
  }

  /**
   * Streams the same bytes as {@link #encode(Map)} to {@code out}, one array at a time through a
   * small buffer ({@link NDArray#writeTo}): nothing the size of the model is allocated.
   */
  public static void encode(Map<String, NDArray> params, OutputStream out) throws IOException {
    writeU64(out, LIST_MAGIC);
    writeU64(out, 0);
    writeU64(out, params.size());
    for (String name : params.keySet()) {
      byte[] b = name.getBytes(StandardCharsets.UTF_8);
      writeU64(out, b.length);
      out.write(b);
    }
    writeU64(out, params.size());
    for (NDArray a : params.values()) {
      writeU64(out, ARRAY_MAGIC);
      writeU64(out, 0);
      ByteBuffer h = ByteBuffer.allocate(16 + 8 * a.rank() + 8).order(ByteOrder.LITTLE_ENDIAN);
      h.putInt(KDL_CPU).putInt(0).putInt(a.rank());
      h.put((byte) a.dtype().dlCode()).put((byte) a.dtype().bits()).putShort((short) 1);
      for (int d : a.shape()) {
        h.putLong(d);
      }
      h.putLong(a.byteSize());
      out.write(h.array());
      a.writeTo(out);
    }
  }

  private static void writeU64(OutputStream out, long v) throws IOException {
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
  }

  /** Writes a params file, streamed array by array ({@link #encode(Map, OutputStream)}). */
  public static void write(Path file, Map<String, NDArray> params) {
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      encode(params, out);
    } catch (IOException e) {
      throw new KbyocException(file + ": cannot write: " + e.getMessage());
    }
  }

  /** Reads a params file into an insertion-ordered map. */
  public static Map<String, NDArray> read(Path file) {
    return decode(Limits.readFile(file, "params"), file.toString());
  }

  /** Parses params bytes; {@code name} appears in error messages. */
  public static Map<String, NDArray> decode(byte[] bytes, String name) {
    Reader r = new Reader(bytes, name);
    long magic = r.u64("list magic");
    if (magic != LIST_MAGIC) {
      throw r.error(0, String.format("not a TVM params file (magic 0x%016X, expected 0x%016X)", magic, LIST_MAGIC));
    }
    r.u64("reserved");
    long count = r.count("name count", 8);
    List<String> names = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      int at = r.pos();
      long len = r.u64("name length");
      names.add(new String(r.bytes(len, "name " + i, at), StandardCharsets.UTF_8));
    }
    int countAt = r.pos();
    long arrays = r.count("array count", 40);
    if (arrays != count) {
      throw r.error(countAt, "array count " + arrays + " differs from name count " + count);
    }
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (String n : names) {
      NDArray a = array(r, n);
      if (out.put(n, a) != null) {
        throw r.error(r.pos(), "param [" + n + "] appears twice");
      }
    }
    if (r.pos() != bytes.length) {
      throw r.error(r.pos(), (bytes.length - r.pos()) + " trailing bytes after the last array");
    }
    return out;
  }

  private static NDArray array(Reader r, String param) {
    int start = r.pos();
    long magic = r.u64("array magic of [" + param + "]");
    if (magic != ARRAY_MAGIC) {
      throw r.error(start, String.format("bad array magic 0x%016X for [%s]", magic, param));
    }
    r.u64("reserved");
    int devAt = r.pos();
    int deviceType = r.i32("device type of [" + param + "]");
    r.i32("device id");
    if (deviceType != KDL_CPU) {
      throw r.error(devAt, "array [" + param + "] has device type " + deviceType + ", expected 1 (CPU)");
    }
    int ndimAt = r.pos();
    int ndim = r.i32("ndim of [" + param + "]");
    if (ndim < 0 || ndim > Limits.rank()) {
      throw r.error(ndimAt, "array [" + param + "] has invalid ndim " + ndim);
    }
    int dtAt = r.pos();
    int code = r.u8("dtype");
    int bits = r.u8("dtype");
    int lanes = r.u16("dtype");
    DType dtype = DType.fromDl(code, bits, lanes);
    if (dtype == null) {
      throw r.error(dtAt, "array [" + param + "] has unsupported dtype (code " + code + ", bits " + bits + ", lanes "
          + lanes + ")");
    }
    int[] shape = new int[ndim];
    long elems = 1;
    for (int i = 0; i < ndim; i++) {
      int at = r.pos();
      long d = r.i64("shape of [" + param + "]");
      if (d < 0 || d > Integer.MAX_VALUE || (elems = elems * Math.max(d, 1)) > NDArray.MAX_ELEMENTS) {
        throw r.error(at, "array [" + param + "] has invalid dimension " + d);
      }
      shape[i] = (int) d;
    }
    int sizeAt = r.pos();
    long size = r.i64("byte size of [" + param + "]");
    long expect = NDArray.checkedSize(shape) * dtype.byteSize();
    if (size != expect) {
      throw r.error(sizeAt, "array [" + param + "] declares " + size + " data bytes, its shape and dtype need " + expect);
    }
    return NDArray.fromBytes(dtype, shape, r.bytes(size, "data of [" + param + "]", sizeAt));
  }

  /** Bounds-checked little-endian reads. */
  private static final class Reader {
    private final ByteBuffer buf;
    private final String name;

    Reader(byte[] bytes, String name) {
      this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      this.name = name;
    }

    int pos() {
      return buf.position();
    }

    KbyocException error(int offset, String msg) {
      return new KbyocException(name + ": at offset " + offset + ": " + msg);
    }

    private void need(long n, String what) {
      if (n > buf.remaining()) {
        throw error(buf.position(), "truncated: " + what + " needs " + n + " bytes, " + buf.remaining() + " left");
      }
    }

    long u64(String what) {
      need(8, what);
      return buf.getLong();
    }

    long i64(String what) {
      return u64(what);
    }

    int i32(String what) {
      need(4, what);
      return buf.getInt();
    }

    int u8(String what) {
      need(1, what);
      return buf.get() & 0xFF;
    }

    int u16(String what) {
      need(2, what);
      return buf.getShort() & 0xFFFF;
    }

    /** A count whose entries take at least {@code minEntryBytes} each (rejects absurd counts). */
    long count(String what, int minEntryBytes) {
      int at = buf.position();
      long c = u64(what);
      if (c < 0 || c > buf.remaining() / minEntryBytes) {
        throw error(at, what + " " + Long.toUnsignedString(c) + " is impossible with " + buf.remaining() + " bytes left");
      }
      return c;
    }

    byte[] bytes(long n, String what, int fieldAt) {
      if (lengthChecks && (n < 0 || n > buf.remaining())) {
        throw error(fieldAt, "truncated: " + what + " declares " + Long.toUnsignedString(n) + " bytes, "
            + buf.remaining() + " left");
      }
      byte[] b = new byte[(int) n];
      buf.get(b);
      return b;
    }
  }
}
