package dev.kbyoc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsFormatTest {

  private static byte[] hex(String s) {
    String h = s.replaceAll("\\s+", "");
    byte[] out = new byte[h.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  /** Bytes of {"w": float32[2] {1, -2}, "b": int8 scalar 5}, written out field by field. */
  static final byte[] EXPECTED = hex(""
      + "B79C04054F8DE5F7 0000000000000000"       // list magic, reserved
      + "0200000000000000"                        // 2 names
      + "0100000000000000 77"                     // "w"
      + "0100000000000000 62"                     // "b"
      + "0200000000000000"                        // 2 arrays
      + "3FA1B496F0405EDD 0000000000000000"       // array magic, reserved
      + "01000000 00000000"                       // kDLCPU, device 0
      + "01000000 02200100"                       // ndim 1, float 32 x1
      + "0200000000000000 0800000000000000"       // shape (2), 8 bytes
      + "0000803F 000000C0"                       // 1.0f, -2.0f
      + "3FA1B496F0405EDD 0000000000000000"
      + "01000000 00000000"
      + "00000000 00080100"                       // ndim 0, int 8 x1
      + "0100000000000000 05");                   // 1 byte: 5

  static Map<String, NDArray> sample() {
    Map<String, NDArray> m = new LinkedHashMap<>();
    m.put("w", NDArray.of(new float[] {1f, -2f}, 2));
    m.put("b", NDArray.ofBytes(DType.INT8, new byte[] {5}));
    return m;
  }

  @Test
  void writesTvmBytesExactly() {
    assertArrayEquals(EXPECTED, ParamsFormat.encode(sample()));
  }

  @Test
  void readsTvmBytes() {
    Map<String, NDArray> m = ParamsFormat.decode(EXPECTED, "p.params");
    assertEquals(List.of("w", "b"), List.copyOf(m.keySet()));
    assertEquals(sample(), m);
  }

  @Test
  void roundTripsEveryDtype() {
    Map<String, NDArray> m = new LinkedHashMap<>();
    m.put("f", NDArray.of(new float[] {0.5f, Float.NaN, -0f, 3e38f, 1, 2}, 2, 3));
    m.put("i8", NDArray.ofBytes(DType.INT8, new byte[] {-128, 127}, 2));
    m.put("u8", NDArray.ofBytes(DType.UINT8, new byte[] {(byte) 255, 0}, 1, 2));
    m.put("i32", NDArray.ofInt32(new int[] {Integer.MIN_VALUE, 7}, 2));
    m.put("i64", NDArray.ofInt64(new long[] {Long.MAX_VALUE}, 1));
    m.put("meta[relay.Constant][0]", NDArray.zeros(DType.FLOAT32, 0, 4));
    assertEquals(m, ParamsFormat.decode(ParamsFormat.encode(m), "x"));
  }

  private static String error(byte[] bytes) {
    return assertThrows(KbyocException.class, () -> ParamsFormat.decode(bytes, "p.params")).getMessage();
  }

  @Test
  void rejectsTruncationAndAbsurdSizesWithOffsets() {
    assertEquals("p.params: at offset 0: truncated: list magic needs 8 bytes, 3 left", error(Arrays.copyOf(EXPECTED, 3)));
    byte[] wrongMagic = EXPECTED.clone();
    wrongMagic[0] = 0;
    assertEquals("p.params: at offset 0: not a TVM params file (magic 0xF7E58D4F05049C00, expected 0xF7E58D4F05049CB7)",
        error(wrongMagic));
    byte[] hugeCount = EXPECTED.clone();
    hugeCount[16 + 7] = 0x10;
    assertEquals("p.params: at offset 16: name count 1152921504606846978 is impossible with 123 bytes left", error(hugeCount));
    byte[] hugeName = EXPECTED.clone();
    hugeName[24 + 4] = 1;
    assertEquals("p.params: at offset 24: truncated: name 0 declares 4294967297 bytes, 115 left", error(hugeName));
    assertEquals("p.params: at offset 42: array count 2 is impossible with 52 bytes left",
        error(Arrays.copyOf(EXPECTED, 102)));
    byte[] onlyW = ParamsFormat.encode(Map.of("w", NDArray.of(new float[] {1f, -2f}, 2)));
    assertEquals(97, onlyW.length);
    assertEquals("p.params: at offset 81: truncated: data of [w] declares 8 bytes, 4 left", error(Arrays.copyOf(onlyW, 93)));
    assertEquals("p.params: at offset 138: truncated: byte size of [b] needs 8 bytes, 2 left",
        error(Arrays.copyOf(EXPECTED, 140)));
    byte[] badSize = EXPECTED.clone();
    badSize[90] = 9;
    assertEquals("p.params: at offset 90: array [w] declares 9 data bytes, its shape and dtype need 8", error(badSize));
    byte[] badType = EXPECTED.clone();
    badType[78] = 4;
    assertEquals("p.params: at offset 78: array [w] has unsupported dtype (code 4, bits 32, lanes 1)", error(badType));
    ByteArrayOutputStream longer = new ByteArrayOutputStream();
    longer.writeBytes(EXPECTED);
    longer.write(0);
    assertEquals("p.params: at offset 147: 1 trailing bytes after the last array", error(longer.toByteArray()));
  }
}
