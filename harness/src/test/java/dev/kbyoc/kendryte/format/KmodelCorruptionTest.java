package dev.kbyoc.kendryte.format;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.kendryte.TestData;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each corruption gives one KbyocException line naming the layer or table and the file offset. */
class KmodelCorruptionTest {
  /** Instance fields, so a missing data file skips each test (an assumption) instead of failing class init. */
  final byte[] IRIS = TestData.bytes("kmodel/iris.kmodel");
  final byte[] YOLO = TestData.bytes("kmodel/yolo.kmodel");

  static byte[] put32(byte[] src, int off, long v) {
    byte[] b = src.clone();
    for (int i = 0; i < 4; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
    return b;
  }

  static String fails(byte[] b, String... expected) {
    KbyocException e = assertThrows(KbyocException.class, () -> KmodelReader.read("bad.kmodel", b));
    String msg = e.getMessage();
    assertFalse(msg.contains("\n"), msg);
    assertTrue(msg.startsWith("kmodel bad.kmodel: "), msg);
    for (String s : expected) {
      assertTrue(msg.contains(s), "[" + msg + "] lacks [" + s + "]");
    }
    return msg;
  }

  @Test
  void truncatedHeader() {
    fails(Arrays.copyOf(IRIS, 20), "header at offset 0", "truncated");
  }

  @Test
  void badVersionAndArch() {
    fails(put32(IRIS, 0, 4), "header at offset 0", "bad version 4");
    fails(put32(IRIS, 0, 0x4C444D4BL), "KMDL");
    fails(put32(IRIS, 8, 1), "offset 8", "bad arch 1");
  }

  @Test
  void absurdCounts() {
    fails(put32(IRIS, 12, 0xFFFFFFFFL), "header at offset 12", "layers_length 4294967295");
    fails(put32(IRIS, 24, 0x7FFFFFFFL), "header at offset 24", "output_count");
    fails(put32(IRIS, 20, 1L << 30), "main_mem_usage");
    fails(put32(IRIS, 28, 100), "output 0 at offset 28", "exceeds main_mem_usage 56");
  }

  @Test
  void badLayerHeaders() {
    // iris: header 28 + 1 output (8) -> layer headers at 36 and 44, bodies from 52.
    fails(put32(IRIS, 36, 77), "layer 0 at offset 36", "unknown layer type 77");
    fails(put32(IRIS, 40, 1 << 20), "layer 0 (FULLY_CONNECTED) at offset 36", "runs past the end");
    fails(put32(IRIS, 48, 200), "layer 1 (FULLY_CONNECTED) at offset 44", "runs past the end");
  }

  @Test
  void truncatedFiles() {
    // 2 bytes short: within the padding allowance but the content is cut; 4 bytes: beyond it.
    fails(Arrays.copyOf(IRIS, IRIS.length - 2), "layer 1 (FULLY_CONNECTED) at offset 304", "needs 132 bytes");
    fails(Arrays.copyOf(IRIS, IRIS.length - 4), "layer 1 (FULLY_CONNECTED) at offset 44", "runs past the end");
    fails(Arrays.copyOf(YOLO, 100_000), "layer 10 (K210_CONV) at offset 116", "runs past the end");
    fails(Arrays.copyOf(IRIS, 40), "header at offset");
  }

  @Test
  void absurdBodyFields() {
    // iris layer 0 body at 52: in_channels at +12; a huge value makes the weights overflow the body.
    fails(put32(IRIS, 64, 0x40000000), "layer 0 (FULLY_CONNECTED) at offset 76", "FC_FLOATS data needs");
    // yolo layer 0 body at 172: layer_offset at +8, weights_offset at +12.
    fails(put32(YOLO, 180, 0xFFFFFF00L), "layer 0 (K210_CONV) at offset 4294967040", "layer_offset");
    fails(put32(YOLO, 184, 1100), "layer 0 (K210_CONV) at offset 1100", "weights_offset");
  }
}
