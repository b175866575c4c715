package dev.kbyoc.runtime;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Limits;
import dev.kbyoc.ir.NDArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * NumPy's {@code .npy} format (numpy/lib/format.py): magic {@code \x93NUMPY}, version byte pair,
 * a little-endian header length (u16 in v1.0, u32 in v2.0/3.0), an ASCII Python dict
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }} padded with spaces and a
 * newline to a multiple of 64 bytes, then the C-ordered little-endian data.
 *
 * <p>Supported dtypes: float32 ({@code <f4}), int8 ({@code |i1}), uint8 ({@code |u1}), int32
 * ({@code <i4}), int64 ({@code <i8}), bool ({@code |b1}). Fortran order, big-endian data, other
 * dtypes, bad headers and wrong data sizes are rejected with one line naming the file. The writer
 * produces what {@code numpy.save} writes (v1.0, or v2.0 when the header exceeds 65535 bytes,
 * with the 21-digit growth-axis space numpy reserves).
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGN = 64;
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;

  private Npy() {}

  /** Reads a .npy file; {@code name} appears in error messages. */
  public static NDArray read(Path file) {
    return decode(Limits.readFile(file, ".npy file"), file.toString());
  }

  /** Decodes .npy bytes. */
  public static NDArray decode(byte[] bytes, String name) {
    if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
      throw new KbyocException(name + ": not a .npy file (missing \\x93NUMPY magic)");
    }
    int major = bytes[6] & 0xFF;
    int minor = bytes[7] & 0xFF;
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen;
    int start;
    if (major == 1 && minor == 0) {
      headerLen = buf.getShort(8) & 0xFFFF;
      start = 10;
    } else if ((major == 2 || major == 3) && minor == 0) {
      if (bytes.length < 12) {
        throw new KbyocException(name + ": truncated .npy header");
      }
      headerLen = buf.getInt(8) & 0xFFFFFFFFL;
      start = 12;
    } else {
      throw new KbyocException(name + ": unsupported .npy version " + major + "." + minor);
    }
    if (start + headerLen > bytes.length) {
      throw new KbyocException(name + ": truncated .npy header (declares " + headerLen + " bytes, file has "
          + (bytes.length - start) + ")");
    }
    String header = new String(bytes, start, (int) headerLen,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    NpyHeader h = NpyHeader.parse(header, name);
    DType dtype = dtype(h.descr(), name);
    if (h.fortranOrder()) {
      throw new KbyocException(name + ": fortran_order arrays are not supported (save a C-ordered array)");
    }
    int[] shape = h.shape();
    long n;
    try {
      n = NDArray.checkedSize(shape);
    } catch (KbyocException e) {
      throw new KbyocException(name + ": " + e.getMessage());
    }
    long dataStart = start + headerLen;
    long need = n * dtype.byteSize();
    long have = bytes.length - dataStart;
    if (have != need) {
      throw new KbyocException(name + ": data of shape " + Arrays.toString(shape) + " " + dtype + " needs " + need
          + " bytes, file has " + have);
    }
    return NDArray.fromBytes(dtype, shape, Arrays.copyOfRange(bytes, (int) dataStart, bytes.length));
  }

  private static DType dtype(String descr, String name) {
    if (descr.length() >= 2 && descr.charAt(0) == '>' && !descr.endsWith("1")) {
      throw new KbyocException(name + ": big-endian data ('" + descr + "') is not supported");
    }
    return switch (descr) {
      case "<f4" -> DType.FLOAT32;
      case "|i1", "<i1", ">i1" -> DType.INT8;
      case "|u1", "<u1", ">u1" -> DType.UINT8;
      case "<i4" -> DType.INT32;
      case "<i8" -> DType.INT64;
      case "|b1" -> DType.BOOL;
      case "<f2" -> DType.FLOAT16;
      case "<f8" -> DType.FLOAT64;
      case "<i2" -> DType.INT16;
      case "<u2" -> DType.UINT16;
      case "<u4" -> DType.UINT32;
      case "<u8" -> DType.UINT64;
      default -> throw new KbyocException(name + ": unsupported dtype '" + descr
          + "' (supported: <f4 float32, |i1 int8, |u1 uint8, <i4 int32, <i8 int64, |b1 bool, <f2, <f8, <i2, <u2, <u4, <u8)");
    };
  }

  /** The numpy descr string of a dtype. */
  static String descr(DType d) {
    return switch (d) {
      case FLOAT32 -> "<f4";
      case INT8 -> "|i1";
      case UINT8 -> "|u1";
      case INT32 -> "<i4";
      case INT64 -> "<i8";
      case BOOL -> "|b1";
      case FLOAT16 -> "<f2";
      case FLOAT64 -> "<f8";
      case INT16 -> "<i2";
      case UINT16 -> "<u2";
      case UINT32 -> "<u4";
      case UINT64 -> "<u8";
      case BFLOAT16 -> throw new KbyocException("bfloat16 has no .npy dtype; cast the tensor to float32 first");
    };
  }

  /** Encodes an array as numpy.save would. */
  public static byte[] encode(NDArray a) {
    int[] shape = a.shape();
    StringJoiner dims = new StringJoiner(", ", "(", shape.length == 1 ? ",)" : ")");
    for (int d : shape) {
      dims.add(Integer.toString(d));
    }
    StringBuilder header = new StringBuilder("{'descr': '").append(descr(a.dtype()))
        .append("', 'fortran_order': False, 'shape': ").append(dims).append(", }");
    if (shape.length > 0) {
      header.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length()));
    }
    int hlen = header.length() + 1;
    int major = 1;
    int lenSize = 2;
    int pad = ALIGN - ((8 + lenSize + hlen) % ALIGN);
    if (hlen + pad > 0xFFFF) {
      major = 2;
      lenSize = 4;
      pad = ALIGN - ((8 + lenSize + hlen) % ALIGN);
    }
    header.append(" ".repeat(pad)).append('\n');
    byte[] h = header.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] data = a.toBytes();
    ByteBuffer out = ByteBuffer.allocate(8 + lenSize + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) major).put((byte) 0);
    if (lenSize == 2) {
      out.putShort((short) h.length);
    } else {
      out.putInt(h.length);
    }
    out.put(h).put(data);
    return out.array();
  }

  /** Writes an array to a .npy file. */
  public static void write(Path file, NDArray a) {
    try {
      Files.write(file, encode(a));
    } catch (IOException e) {
      throw new KbyocException(file + ": cannot write: " + e.getMessage());
    }
  }

  /** The header fields. */
  record NpyHeader(String descr, boolean fortranOrder, int[] shape) {
    /** Parses the Python dict literal numpy writes; keys in any order, trailing commas allowed. */
    static NpyHeader parse(String text, String name) {
      HeaderReader r = new HeaderReader(text, name);
      String descr = null;
      Boolean fortran = null;
      int[] shape = null;
      r.expect('{');
      while (!r.accept('}')) {
        String key = r.string();
        r.expect(':');
        switch (key) {
          case "descr" -> descr = r.string();
          case "fortran_order" -> fortran = r.bool();
          case "shape" -> shape = r.tuple();
          default -> throw r.error("unexpected key '" + key + "'");
        }
        if (!r.accept(',')) {
          r.expect('}');
          break;
        }
      }
      r.expectEnd();
      if (descr == null || fortran == null || shape == null) {
        throw r.error("header must have 'descr', 'fortran_order' and 'shape'");
      }
      return new NpyHeader(descr, fortran, shape);
    }
  }

  /** A cursor over the header text. */
  private static final class HeaderReader {
    private final String s;
    private final String name;
    private int i;

    HeaderReader(String s, String name) {
      this.s = s;
      this.name = name;
    }

    KbyocException error(String msg) {
      return new KbyocException(name + ": bad .npy header at offset " + i + ": " + msg);
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    boolean accept(char c) {
      skip();
      if (i < s.length() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    void expect(char c) {
      if (!accept(c)) {
        throw error("expected '" + c + "'");
      }
    }

    void expectEnd() {
      skip();
      if (i != s.length()) {
        throw error("unexpected text after the dict");
      }
    }

    String string() {
      skip();
      if (i >= s.length() || (s.charAt(i) != '\'' && s.charAt(i) != '"')) {
        throw error("expected a quoted string");
      }
      char q = s.charAt(i++);
      int end = s.indexOf(q, i);
      if (end < 0) {
        throw error("unterminated string");
      }
      String v = s.substring(i, end);
      i = end + 1;
      return v;
    }

    boolean bool() {
      skip();
      if (s.startsWith("True", i)) {
        i += 4;
        return true;
      }
      if (s.startsWith("False", i)) {
        i += 5;
        return false;
      }
      throw error("expected True or False");
    }

    int[] tuple() {
      expect('(');
      List<Integer> dims = new ArrayList<>();
      while (!accept(')')) {
        skip();
        int st = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
          i++;
        }
        if (st == i) {
          throw error("expected a dimension");
        }
        try {
          dims.add(Integer.parseInt(s.substring(st, i)));
        } catch (NumberFormatException e) {
          throw error("dimension too large");
        }
        accept('L');
        if (!accept(',')) {
          expect(')');
          break;
        }
      }
      return dims.stream().mapToInt(Integer::intValue).toArray();
    }
  }
}
