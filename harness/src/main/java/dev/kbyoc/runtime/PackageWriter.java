package dev.kbyoc.runtime;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Exports a build as one package: a zip archive (entries stored, not compressed, with fixed
 * timestamps, so sizes are meaningful and output is reproducible) holding {@code manifest.json},
 * {@code graph.json}, {@code params.bin} (TVM params binary) and {@code modules/<i>_<type>.bin}
 * per module in import order. The archive is written to a temporary file next to the target and
 * moved into place atomically, so a failed export never leaves a partial package.
 *
 * <p>Written from the params map, the params entry is streamed: the manifest (first in the archive)
 * needs its size and SHA-256, and a stored zip entry its CRC, before its data, so the params are
 * encoded twice, once into digests only and once into the file, array by array through a small
 * buffer ({@link ParamsFormat#encode(Map, OutputStream)}); beyond the build itself, memory then
 * stays bounded by the largest module's bytes, not the model. Both forms write the same bytes.
 */
public final class PackageWriter {
  public static final String GRAPH = "graph.json";
  public static final String PARAMS = "params.bin";

  private PackageWriter() {}

  /** What an entry's bytes are: written on demand, the same bytes every time. */
  private interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /** One archive entry with its manifest fields and CRC, measured before it is written. */
  private record Part(PackageManifest.Entry entry, long crc, Body body) {
    static Part of(String name, String kind, String type, byte[] b) {
      return measured(name, kind, type, out -> out.write(b));
    }

    /** Runs {@code body} once into digests only (size, SHA-256, CRC-32). */
    static Part measured(String name, String kind, String type, Body body) {
      Digests d = new Digests();
      try {
        body.writeTo(d);
      } catch (IOException e) {
        throw new IllegalStateException("measuring " + name + " failed", e);
      }
      return new Part(new PackageManifest.Entry(name, kind, type, d.size, d.sha256()), d.crc.getValue(), body);
    }

    /**
     * A stored entry with the measured size and CRC; the zip stream checks both when the entry is
     * closed, so a body that wrote other bytes the second time fails the export.
     */
    void writeEntry(ZipArchiveOutputStream zip) throws IOException {
      ZipArchiveEntry e = new ZipArchiveEntry(entry.name());
      e.setMethod(ZipArchiveEntry.STORED);
      e.setSize(entry.size());
      e.setCrc(crc);
      e.setTime(FIXED_TIME);
      zip.putArchiveEntry(e);
      body.writeTo(zip);
      zip.closeArchiveEntry();
    }
  }

  /** An output stream that keeps nothing but the size, SHA-256 and CRC-32 of what went through it. */
  private static final class Digests extends OutputStream {
    final CRC32 crc = new CRC32();
    final MessageDigest sha;
    long size;

    Digests() {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 unavailable", e);
      }
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      crc.update(b, off, len);
      sha.update(b, off, len);
      size += len;
    }

    String sha256() {
      return HexFormat.of().formatHex(sha.digest());
    }
  }

  /** The archive bytes. */
  public static byte[] toBytes(String graphJson, byte[] params, List<RuntimeModule> modules) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      writeArchive(bytes, parts(graphJson, Part.of(PARAMS, "params", null, params), modules));
    } catch (IOException e) {
      throw new IllegalStateException("in-memory zip failed", e);
    }
    return bytes.toByteArray();
  }

  /** Writes the package to {@code out} atomically and returns its size. */
  public static long write(Path out, String graphJson, byte[] params, List<RuntimeModule> modules) {
    return write(out, parts(graphJson, Part.of(PARAMS, "params", null, params), modules));
  }

  /**
   * Writes the package to {@code out} atomically, streaming the params from the map (see the
   * class comment), and returns its size; the bytes equal {@link #toBytes} of the encoded params.
   */
  public static long write(Path out, String graphJson, Map<String, NDArray> params, List<RuntimeModule> modules) {
    return write(out, parts(graphJson, Part.measured(PARAMS, "params", null, o -> ParamsFormat.encode(params, o)), modules));
  }

  private static List<Part> parts(String graphJson, Part params, List<RuntimeModule> modules) {
    List<Part> parts = new ArrayList<>();
    parts.add(Part.of(GRAPH, "graph", null, graphJson.getBytes(StandardCharsets.UTF_8)));
    parts.add(params);
    for (int i = 0; i < modules.size(); i++) {
      RuntimeModule m = modules.get(i);
      parts.add(Part.of(String.format("modules/%02d_%s.bin", i, m.typeKey()), "module", m.typeKey(), m.serialize()));
    }
    return parts;
  }

  private static long write(Path out, List<Part> parts) {
    Path abs = out.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new KbyocException("cannot write package " + out + ": directory " + dir + " does not exist");
    }
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
      try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        writeArchive(file, parts);
      }
      long size = Files.size(tmp);
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      return size;
    } catch (IOException e) {
      throw new KbyocException("cannot write package " + out + ": " + e.getMessage());
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temporary file is inside the output directory
        }
      }
    }
  }

  /** The manifest, then every part, each a stored entry whose size and CRC were measured first. */
  private static void writeArchive(OutputStream out, List<Part> parts) throws IOException {
    List<PackageManifest.Entry> entries = parts.stream().map(Part::entry).toList();
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
      Part.of(PackageManifest.NAME, null, null, new PackageManifest(PackageManifest.VERSION, entries).toBytes())
          .writeEntry(zip);
      for (Part p : parts) {
        p.writeEntry(zip);
      }
    }
  }

  /** 2020-01-01T00:00:00Z: fixed entry times make packages reproducible. */
  private static final long FIXED_TIME = 1577836800000L;
}
