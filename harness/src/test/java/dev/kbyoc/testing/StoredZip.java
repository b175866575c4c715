package dev.kbyoc.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Hand-made zip archives (stored entries, in map order) for malicious-package tests and corpora. */
public final class StoredZip {
  private StoredZip() {}

  /** A zip of the given entries, each stored uncompressed with its CRC. */
  public static byte[] zip(Map<String, byte[]> entries) throws IOException {
    return zip(entries, false);
  }

  /** As {@link #zip(Map)}; with {@code symlink} every entry is marked as a Unix symbolic link. */
  public static byte[] zip(Map<String, byte[]> entries, boolean symlink) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipArchiveEntry ze = new ZipArchiveEntry(e.getKey());
        ze.setMethod(ZipArchiveEntry.STORED);
        ze.setSize(e.getValue().length);
        CRC32 crc = new CRC32();
        crc.update(e.getValue());
        ze.setCrc(crc.getValue());
        if (symlink) {
          ze.setUnixMode(0120777);
        }
        z.putArchiveEntry(ze);
        z.write(e.getValue());
        z.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }
}
