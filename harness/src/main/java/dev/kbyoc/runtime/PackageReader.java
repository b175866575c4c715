package dev.kbyoc.runtime;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Loads a package, trusting nothing: the whole archive is read into memory (bounded), its zip
 * magic checked, every entry name checked for path traversal, every entry's size checked against
 * the archive size and the manifest before it is read, every entry's SHA-256 compared with the
 * manifest, no entry may be missing or unlisted, and each module blob goes through the loader
 * registered for its type. Any failure is a one-line {@link KbyocException} naming the package and
 * the entry; nothing is returned, and nothing is ever written to disk.
 */
public final class PackageReader {
  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

  private PackageReader() {}

  public static LoadedPackage read(Path path) {
    return read(Limits.readFile(path, "package"), path.toString());
  }

  public static LoadedPackage read(byte[] archive, String src) {
    if (archive.length < 4 || archive[0] != ZIP_MAGIC[0] || archive[1] != ZIP_MAGIC[1]
        || archive[2] != ZIP_MAGIC[2] || archive[3] != ZIP_MAGIC[3]) {
      throw new KbyocException(src + ": not a kbyoc package (bad magic: expected a zip archive)");
    }
    Map<String, byte[]> raw = new LinkedHashMap<>();
    try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(archive)).get()) {
      List<ZipArchiveEntry> all = Collections.list(zip.getEntries());
      checkTotals(all, src);
      for (ZipArchiveEntry e : all) {
        String name = e.getName();
        if (e.getMethod() != ZipArchiveEntry.STORED && e.getMethod() != ZipArchiveEntry.DEFLATED) {
          // other methods (zstd, bzip2, ...) need codecs a package never uses and kbyoc does not ship
          throw new KbyocException(src + ": entry [" + name + "] uses zip compression method " + e.getMethod()
              + "; packages hold stored or deflated entries only");
        }
        if (e.isUnixSymlink() || e.isDirectory()) {
          throw new KbyocException(src + ": entry [" + name + "] is a " + (e.isDirectory() ? "directory" : "symbolic link")
              + ", a package holds regular files only");
        }
        if (!PackageManifest.safeName(name)) {
          throw new KbyocException(src + ": entry name [" + name + "] is not a safe relative path");
        }
        if (raw.containsKey(name)) {
          throw new KbyocException(src + ": entry " + name + " appears twice");
        }
        long declared = e.getSize();
        if (declared < 0 || declared > archive.length) {
          throw new KbyocException(src + ": entry " + name + " declares " + declared + " bytes in a " + archive.length + "-byte package");
        }
        raw.put(name, readExactly(zip, e, (int) declared, src));
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof KbyocException k) {
        throw k;
      }
      throw new KbyocException(src + ": corrupt package archive (" + oneLine(e) + ")");
    }
    byte[] manifestBytes = raw.get(PackageManifest.NAME);
    if (manifestBytes == null) {
      throw new KbyocException(src + ": missing entry " + PackageManifest.NAME);
    }
    PackageManifest manifest = PackageManifest.parse(manifestBytes, src);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (PackageManifest.Entry e : manifest.entries()) {
      byte[] b = raw.get(e.name());
      if (b == null) {
        throw new KbyocException(src + ": missing entry " + e.name());
      }
      if (b.length != e.size()) {
        throw new KbyocException(src + ": entry " + e.name() + " has " + b.length + " bytes, the manifest says " + e.size());
      }
      if (!ByteSearch.sha256(b).equals(e.sha256())) {
        throw new KbyocException(src + ": entry " + e.name() + " fails its sha256 check (corrupted)");
      }
      entries.put(e.name(), b);
    }
    for (String name : raw.keySet()) {
      if (!name.equals(PackageManifest.NAME) && !entries.containsKey(name)) {
        throw new KbyocException(src + ": entry " + name + " is not listed in the manifest");
      }
    }
    PackageManifest.Entry graphEntry = manifest.only("graph", src);
    PackageManifest.Entry paramsEntry = manifest.only("params", src);
    GraphJson graph = GraphJsonReader.read(new String(entries.get(graphEntry.name()), StandardCharsets.UTF_8), src + "!" + graphEntry.name());
    List<RuntimeModule> modules = new ArrayList<>();
    for (PackageManifest.Entry m : manifest.modules()) {
      String blob = src + "!" + m.name();
      try {
        modules.add(ModuleLoaders.load(m.type(), entries.get(m.name()), blob));
      } catch (KbyocException e) {
        // a loader's inner checks (e.g. a shape's element count) may not know the blob's name
        throw e.getMessage().startsWith(src) ? e : new KbyocException(blob + ": " + e.getMessage(), e);
      }
    }
    return new LoadedPackage(manifest, graph, entries.get(paramsEntry.name()), modules, entries, archive.length);
  }

  /**
   * Bounds the archive before anything is inflated: at most {@link Limits#archiveEntries()}
   * entries, and declared sizes (which {@link #readExactly} then holds every entry to) summing to at
   * most {@link Limits#unpackedBytes()}, so a zip bomb is refused without inflating it.
   */
  private static void checkTotals(List<ZipArchiveEntry> all, String src) {
    if (all.size() > Limits.archiveEntries()) {
      throw new KbyocException(src + ": package has " + all.size() + " entries, more than the limit "
          + Limits.archiveEntries() + " (-D" + Limits.ARCHIVE_ENTRIES + ")");
    }
    long total = 0;
    for (ZipArchiveEntry e : all) {
      total += Math.max(0, e.getSize());
      if (total > Limits.unpackedBytes()) {
        throw new KbyocException(src + ": package entries unpack to more than the limit " + Limits.unpackedBytes()
            + " bytes (-D" + Limits.UNPACKED_BYTES + ")");
      }
    }
  }

  private static byte[] readExactly(ZipFile zip, ZipArchiveEntry e, int declared, String src) throws IOException {
    byte[] b = new byte[declared];
    try (InputStream in = zip.getInputStream(e)) {
      int n = in.readNBytes(b, 0, declared);
      if (n != declared || in.read() != -1) {
        throw new KbyocException(src + ": entry " + e.getName() + " is truncated or longer than declared");
      }
    }
    return b;
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace('\n', ' ').replace('\r', ' ');
  }
}
