package dev.kbyoc.golden;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal {@code .npy} (format 1.0, little-endian float32, C order) reading and writing for the
 * golden files, so they open in numpy unchanged.
 */
final class NpyFiles {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private NpyFiles() {}

  static void write(Path file, NDArray a) throws IOException {
    StringBuilder shape = new StringBuilder();
    for (int d : a.shape()) {
      shape.append(d).append(", ");
    }
    String s = a.rank() == 1 ? shape.toString().trim() : shape.toString().replaceAll(", $", "");
    StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (" + s + "), }");
    while ((MAGIC.length + 2 + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + h.length + 4 * a.size()).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putShort((short) h.length).put(h);
    b.asFloatBuffer().put(a.floatData());
    Files.write(file, b.array());
  }

  static NDArray read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    for (byte m : MAGIC) {
      if (b.get() != m) {
        throw new KbyocException(file + ": not a version 1.0 .npy file");
      }
    }
    int hlen = b.getShort() & 0xFFFF;
    String header = new String(all, 10, hlen, StandardCharsets.US_ASCII);
    if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
      throw new KbyocException(file + ": only little-endian float32 C-order arrays are supported: " + header.trim());
    }
    Matcher m = SHAPE.matcher(header);
    if (!m.find()) {
      throw new KbyocException(file + ": no shape in header");
    }
    String[] parts = m.group(1).split(",");
    int rank = 0;
    int[] dims = new int[parts.length];
    for (String p : parts) {
      if (!p.isBlank()) {
        dims[rank++] = Integer.parseInt(p.trim());
      }
    }
    int[] shape = java.util.Arrays.copyOf(dims, rank);
    byte[] data = java.util.Arrays.copyOfRange(all, 10 + hlen, all.length);
    return NDArray.fromBytes(dev.kbyoc.ir.DType.FLOAT32, shape, data);
  }
}
