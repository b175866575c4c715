package dev.kbyoc.runtime;

import dev.kbyoc.ir.KbyocException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 */
public final class PackageWriter {
  public static final String GRAPH = "graph.json";
  public static final String PARAMS = "params.bin";

  private PackageWriter() {}

  /** The archive bytes. */
  public static byte[] toBytes(String graphJson, byte[] params, List<RuntimeModule> modules) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    List<PackageManifest.Entry> entries = new ArrayList<>();
    add(data, entries, GRAPH, "graph", null, graphJson.getBytes(StandardCharsets.UTF_8));
    add(data, entries, PARAMS, "params", null, params);
    for (int i = 0; i < modules.size(); i++) {
      RuntimeModule m = modules.get(i);
      add(data, entries, String.format("modules/%02d_%s.bin", i, m.typeKey()), "module", m.typeKey(), m.serialize());
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
      put(zip, PackageManifest.NAME, new PackageManifest(PackageManifest.VERSION, entries).toBytes());
      for (Map.Entry<String, byte[]> e : data.entrySet()) {
        put(zip, e.getKey(), e.getValue());
      }
    } catch (IOException e) {
      throw new IllegalStateException("in-memory zip failed", e);
    }
    return bytes.toByteArray();
  }

  /** Writes the package to {@code out} atomically and returns its size. */
  public static long write(Path out, String graphJson, byte[] params, List<RuntimeModule> modules) {
    byte[] archive = toBytes(graphJson, params, modules);
    Path abs = out.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new KbyocException("cannot write package " + out + ": directory " + dir + " does not exist");
    }
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
      Files.write(tmp, archive);
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      return archive.length;
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

  private static void add(Map<String, byte[]> data, List<PackageManifest.Entry> entries, String name, String kind, String type, byte[] b) {
    data.put(name, b);
    entries.add(new PackageManifest.Entry(name, kind, type, b.length, ByteSearch.sha256(b)));
  }

  private static void put(ZipArchiveOutputStream zip, String name, byte[] b) throws IOException {
    ZipArchiveEntry e = new ZipArchiveEntry(name);
    e.setMethod(ZipArchiveEntry.STORED);
    e.setSize(b.length);
    CRC32 crc = new CRC32();
    crc.update(b);
    e.setCrc(crc.getValue());
    e.setTime(FIXED_TIME);
    zip.putArchiveEntry(e);
    zip.write(b);
    zip.closeArchiveEntry();
  }

  /** 2020-01-01T00:00:00Z: fixed entry times make packages reproducible. */
  private static final long FIXED_TIME = 1577836800000L;
}
