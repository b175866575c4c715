package dev.kbyoc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Limits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zip bombs and entry floods are refused before inflating, under configurable limits; a failed load writes nothing. */
class PackageLimitsTest {
  @AfterEach
  void clear() {
    System.clearProperty(Limits.UNPACKED_BYTES);
    System.clearProperty(Limits.ARCHIVE_ENTRIES);
    System.clearProperty(Limits.FILE_BYTES);
  }

  /** A deflated zip of {@code count} entries of {@code size} zero bytes each. */
  static byte[] zeros(int count, int size) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(out)) {
      for (int i = 0; i < count; i++) {
        z.putArchiveEntry(new ZipArchiveEntry("e" + i));
        z.write(new byte[size]);
        z.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  static String rejects(byte[] b) {
    String m = assertThrows(KbyocException.class, () -> PackageReader.read(b, "bomb.kbpkg")).getMessage();
    assertTrue(m.startsWith("bomb.kbpkg: "), m);
    return m;
  }

  @Test
  void zipBombRefusedByDeclaredSize() throws IOException {
    byte[] bomb = zeros(4, 4 << 20); // 16 MiB of zeros in about 64 KiB
    assertTrue(bomb.length < 100_000, "compression ratio too low for a bomb: " + bomb.length);
    System.setProperty(Limits.UNPACKED_BYTES, Long.toString(8 << 20));
    String m = rejects(bomb);
    assertTrue(m.contains("unpack to more than the limit 8388608 bytes (-Dkbyoc.limits.unpackedBytes)"), m);
    System.setProperty(Limits.UNPACKED_BYTES, Long.toString(64 << 20));
    // under a larger limit the same archive gets past the size check and fails on its missing manifest
    assertTrue(rejects(bomb).contains("entry e0 declares") || rejects(bomb).contains("manifest"), rejects(bomb));
  }

  @Test
  void entryFloodRefused() throws IOException {
    System.setProperty(Limits.ARCHIVE_ENTRIES, "100");
    String m = rejects(zeros(101, 1));
    assertTrue(m.contains("101 entries, more than the limit 100"), m);
  }

  @Test
  void fileSizeLimitAndNothingWrittenOnFailure(@TempDir Path dir) throws IOException {
    Path pkg = dir.resolve("p.kbpkg");
    Files.write(pkg, zeros(3, 1000));
    System.setProperty(Limits.FILE_BYTES, "100");
    String m = assertThrows(KbyocException.class, () -> PackageReader.read(pkg)).getMessage();
    assertTrue(m.startsWith(pkg + ": package is ") && m.contains("more than the limit 100"), m);
    System.clearProperty(Limits.FILE_BYTES);
    assertThrows(KbyocException.class, () -> PackageReader.read(pkg));
    try (Stream<Path> s = Files.walk(dir)) {
      assertEquals(List.of(dir, pkg), s.sorted().toList(), "a failed load must leave nothing behind");
    }
  }
}
