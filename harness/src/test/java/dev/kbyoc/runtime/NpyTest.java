package dev.kbyoc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NpyTest {

  private static byte[] npy(int major, String header, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
    if (major == 1) {
      out.write(h.length & 0xFF);
      out.write(h.length >> 8);
    } else {
      out.writeBytes(new byte[] {(byte) h.length, (byte) (h.length >> 8), 0, 0});
    }
    out.writeBytes(h);
    out.writeBytes(data);
    return out.toByteArray();
  }

  private static final byte[] F23 = {
      0, 0, (byte) 0x80, 0x3F, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40, 0, 0, (byte) 0x80, 0x40, 0, 0, (byte) 0xA0, 0x40, 0, 0,
      (byte) 0xC0, (byte) 0xC0};

  @Test
  void writesWhatNumpySaveWrites() {
    // numpy >= 1.23: header dict, 20 growth-axis spaces for shape[0] = "2", padding to 128 bytes.
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + " ".repeat(20 + 38) + "\n";
    assertEquals(118, header.length());
    byte[] expected = npy(1, header, F23);
    NDArray a = NDArray.of(new float[] {1, 2, 3, 4, 5, -6}, 2, 3);
    assertArrayEquals(expected, Npy.encode(a));
  }

  @Test
  void readsVersion1And2HeadersOfEveryDtype() {
    NDArray a = Npy.decode(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }          \n", F23), "a.npy");
    assertEquals(NDArray.of(new float[] {1, 2, 3, 4, 5, -6}, 2, 3), a);
    NDArray b = Npy.decode(npy(2, "{'shape': (3,), 'fortran_order': False, 'descr': '|u1'}\n", new byte[] {1, (byte) 200, 3}), "b.npy");
    assertEquals(NDArray.ofBytes(DType.UINT8, new byte[] {1, (byte) 200, 3}, 3), b);
    NDArray s = Npy.decode(npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (), }\n", new byte[] {-2, -1, -1, -1, -1, -1, -1, -1}), "s");
    assertEquals(NDArray.ofInt64(new long[] {-2}), s);
    NDArray h = Npy.decode(npy(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }\n", new byte[] {0x00, 0x3C, 0x66, 0x2E}), "h");
    assertEquals(1.0, h.getDouble(0));
    assertEquals(0.0999755859375, h.getDouble(1)); // float16 bits 0x2E66
    NDArray u = Npy.decode(npy(1, "{'descr': '<u4', 'fortran_order': False, 'shape': (1,), }\n", new byte[] {-1, -1, -1, -1}), "u");
    assertEquals(4294967295.0, u.getDouble(0));
    for (NDArray x : new NDArray[] {
        NDArray.fromDoubles(DType.FLOAT64, new double[] {0.1, -3}, 2), NDArray.fromDoubles(DType.UINT16, new double[] {65535}, 1),
        NDArray.ofBytes(DType.INT8, new byte[] {-1, 2}, 1, 2), NDArray.ofInt32(new int[] {-7, 1 << 30}, 2),
        NDArray.ofBytes(DType.BOOL, new byte[] {1, 0, 1}, 3), NDArray.zeros(DType.FLOAT32, 0, 5)}) {
      assertEquals(x, Npy.decode(Npy.encode(x), "rt"));
    }
  }

  private static String error(byte[] bytes) {
    return assertThrows(KbyocException.class, () -> Npy.decode(bytes, "in.npy")).getMessage();
  }

  @Test
  void rejectsWhatItCannotRepresent() {
    assertEquals("in.npy: fortran_order arrays are not supported (save a C-ordered array)",
        error(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }\n", F23)));
    assertEquals("in.npy: big-endian data ('>f4') is not supported",
        error(npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }\n", F23)));
    assertEquals("in.npy: unsupported dtype '<c8' (supported: <f4 float32, |i1 int8, |u1 uint8, <i4 int32, <i8 int64, |b1 bool, <f2, <f8, <i2, <u2, <u4, <u8)",
        error(npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (3,), }\n", F23)));
    assertEquals("in.npy: data of shape [2, 4] float32 needs 32 bytes, file has 24",
        error(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4), }\n", F23)));
    assertEquals("in.npy: bad .npy header at offset 9: expected ':'",
        error(npy(1, "{'descr' '<f4', 'fortran_order': False, 'shape': (2, 3), }\n", F23)));
    assertEquals("in.npy: bad .npy header at offset 50: unexpected key 'shapes'",
        error(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shapes': (2, 3)}\n", F23)));
    assertEquals("in.npy: bad .npy header at offset 41: header must have 'descr', 'fortran_order' and 'shape'",
        error(npy(1, "{'descr': '<f4', 'fortran_order': False}\n", F23)));
    assertEquals("in.npy: not a .npy file (missing \\x93NUMPY magic)", error("hello world".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("in.npy: truncated .npy header (declares 200 bytes, file has 3)",
        error(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) 200, 0, 1, 2, 3}));
    assertEquals("in.npy: unsupported .npy version 4.0", error(npy(4, "{}", new byte[0])));
  }
}
