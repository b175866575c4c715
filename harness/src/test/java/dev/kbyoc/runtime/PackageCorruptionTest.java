package dev.kbyoc.runtime;

import static dev.kbyoc.testing.StoredZip.zip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.build.SampleModels;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.testing.TestCodegens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export/load round trip, and every kind of corrupted package rejected with one line. The
 * accelerator regions use the embedding test codegen {@code hostembed} ({@link TestCodegens}).
 */
class PackageCorruptionTest {
  static final byte[] PARAMS = "params-bytes-under-test".getBytes(StandardCharsets.US_ASCII);

  static BuildResult build() {
    return RelayBuild.build(SampleModels.twoRegions("hostembed", 16, 1, 4), Map.of(), BuildOptions.DEFAULT);
  }

  static byte[] archive() {
    BuildResult r = build();
    return PackageWriter.toBytes(r.graphJson(), PARAMS, r.modules());
  }

  static KbyocException rejects(byte[] bytes) {
    KbyocException e = assertThrows(KbyocException.class, () -> PackageReader.read(bytes, "pkg"));
    assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
    assertTrue(e.getMessage().startsWith("pkg"), e.getMessage());
    return e;
  }

  static Map<String, byte[]> entriesOfGoodPackage() {
    return new LinkedHashMap<>(PackageReader.read(archive(), "good").entries());
  }

  static byte[] manifestFor(Map<String, byte[]> entries, Map<String, String> types) {
    List<PackageManifest.Entry> l = new java.util.ArrayList<>();
    entries.forEach((n, b) -> l.add(new PackageManifest.Entry(n,
        n.equals(PackageWriter.GRAPH) ? "graph" : n.equals(PackageWriter.PARAMS) ? "params" : "module",
        types.get(n), b.length, ByteSearch.sha256(b))));
    return new PackageManifest(1, l).toBytes();
  }

  @Test
  void roundTripRestoresGraphParamsAndModules() {
    BuildResult r = build();
    LoadedPackage p = PackageReader.read(PackageWriter.toBytes(r.graphJson(), PARAMS, r.modules()), "pkg");
    assertEquals(r.graphJson(), p.graph().toJson());
    assertArrayEquals(PARAMS, p.params());
    assertEquals(List.of("kbyoc_host", "hostembed", "hostembed"), p.modules().stream().map(RuntimeModule::typeKey).toList());
    for (int i = 0; i < r.modules().size(); i++) {
      assertArrayEquals(r.modules().get(i).serialize(), p.modules().get(i).serialize());
    }
    assertEquals(List.of("graph.json", "params.bin", "modules/00_kbyoc_host.bin", "modules/01_hostembed.bin",
        "modules/02_hostembed.bin"), List.copyOf(p.entries().keySet()));
  }

  @Test
  void truncatedArchiveIsRejected() {
    byte[] a = archive();
    for (int cut : new int[] {a.length - 1, a.length / 2, 30}) {
      rejects(java.util.Arrays.copyOf(a, cut));
    }
  }

  @Test
  void flippedByteInsideAnEntryFailsTheHashCheck() {
    byte[] a = archive();
    int at = indexOf(a, PARAMS) + 3;
    a[at] ^= 0x40;
    assertTrue(rejects(a).getMessage().contains("params.bin fails its sha256 check"));
  }

  @Test
  void flippedByteInAModuleBlobIsRejected() {
    byte[] a = archive();
    int at = indexOf(a, "KBXM".getBytes(StandardCharsets.US_ASCII)) + 40;
    a[at] ^= 0x01;
    assertTrue(rejects(a).getMessage().contains("modules/01_hostembed.bin fails its sha256 check"));
  }

  @Test
  void wrongMagicIsRejected() {
    byte[] a = archive();
    a[0] = 'X';
    assertEquals("pkg: not a kbyoc package (bad magic: expected a zip archive)", rejects(a).getMessage());
  }

  @Test
  void dotDotEntryNameIsRejected() throws IOException {
    Map<String, byte[]> e = entriesOfGoodPackage();
    e.put("../evil.bin", new byte[] {1, 2, 3});
    Map<String, byte[]> z = new LinkedHashMap<>();
    z.put("manifest.json", manifestFor(entriesOfGoodPackage(), Map.of("modules/00_kbyoc_host.bin", "kbyoc_host",
        "modules/01_hostembed.bin", "hostembed", "modules/02_hostembed.bin", "hostembed")));
    z.putAll(e);
    assertEquals("pkg: entry name [../evil.bin] is not a safe relative path", rejects(zip(z)).getMessage());
  }

  @Test
  void dotDotNameInTheManifestIsRejected() throws IOException {
    Map<String, byte[]> e = new LinkedHashMap<>();
    e.put("graph.json", new byte[0]);
    String m = "{\"format\":\"kbyoc-package\",\"version\":1,\"entries\":[{\"name\":\"a/../../x\",\"kind\":\"graph\",\"size\":0,"
        + "\"sha256\":\"" + ByteSearch.sha256(new byte[0]) + "\"}]}";
    Map<String, byte[]> z = new LinkedHashMap<>();
    z.put("manifest.json", m.getBytes(StandardCharsets.UTF_8));
    z.putAll(e);
    assertTrue(rejects(zip(z)).getMessage().contains("[a/../../x] is not a safe relative path"));
  }

  @Test
  void absurdLengthInTheCentralDirectoryIsRejected() {
    byte[] a = archive();
    // Central directory header of graph.json: patch compressed and uncompressed sizes to ~2 GiB.
    int cd = indexOf(a, new byte[] {'P', 'K', 1, 2});
    int graph = indexOfFrom(a, "graph.json".getBytes(StandardCharsets.US_ASCII), cd) - 46;
    for (int off : new int[] {20, 24}) {
      a[graph + off] = (byte) 0xF0;
      a[graph + off + 1] = (byte) 0xFF;
      a[graph + off + 2] = (byte) 0xFF;
      a[graph + off + 3] = (byte) 0x7F;
    }
    String msg = rejects(a).getMessage();
    assertTrue(msg.contains("graph.json declares 2147483632 bytes") || msg.contains("corrupt package archive"), msg);
  }

  @Test
  void absurdLengthInTheManifestIsRejected() throws IOException {
    Map<String, byte[]> e = entriesOfGoodPackage();
    String m = new String(manifestFor(e, Map.of("modules/00_kbyoc_host.bin", "kbyoc_host", "modules/01_hostembed.bin", "hostembed",
        "modules/02_hostembed.bin", "hostembed")), StandardCharsets.UTF_8);
    m = m.replaceFirst("\"size\":\\d+", "\"size\":999999999999999");
    Map<String, byte[]> z = new LinkedHashMap<>();
    z.put("manifest.json", m.getBytes(StandardCharsets.UTF_8));
    z.putAll(e);
    assertTrue(rejects(zip(z)).getMessage().contains("the manifest says 999999999999999"));
  }

  @Test
  void missingEntryIsRejected() throws IOException {
    Map<String, byte[]> e = entriesOfGoodPackage();
    Map<String, byte[]> z = new LinkedHashMap<>();
    z.put("manifest.json", manifestFor(e, Map.of("modules/00_kbyoc_host.bin", "kbyoc_host", "modules/01_hostembed.bin", "hostembed",
        "modules/02_hostembed.bin", "hostembed")));
    e.remove("params.bin");
    z.putAll(e);
    assertEquals("pkg: missing entry params.bin", rejects(zip(z)).getMessage());
    Map<String, byte[]> noManifest = new LinkedHashMap<>(e);
    assertEquals("pkg: missing entry manifest.json", rejects(zip(noManifest)).getMessage());
  }

  @Test
  void unknownFormatVersionAndModuleTypeAreRejected() throws IOException {
    Map<String, byte[]> e = entriesOfGoodPackage();
    Map<String, String> types = Map.of("modules/00_kbyoc_host.bin", "kbyoc_host", "modules/01_hostembed.bin", "hostembed",
        "modules/02_hostembed.bin", "tpu9000");
    String m = new String(manifestFor(e, types), StandardCharsets.UTF_8);
    Map<String, byte[]> z = new LinkedHashMap<>();
    z.put("manifest.json", m.replace("\"version\":1", "\"version\":2").getBytes(StandardCharsets.UTF_8));
    z.putAll(e);
    assertTrue(rejects(zip(z)).getMessage().contains("unsupported package format version 2"));
    z.put("manifest.json", m.getBytes(StandardCharsets.UTF_8));
    assertTrue(rejects(zip(z)).getMessage().contains("no loader for module type [tpu9000]"));
  }

  @Test
  void writerLeavesOnlyThePackageInTheOutputDirectory(@TempDir Path dir) throws IOException {
    BuildResult r = build();
    Path out = dir.resolve("model.kbyoc");
    long size = PackageWriter.write(out, r.graphJson(), PARAMS, r.modules());
    assertEquals(size, Files.size(out));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(out), files.toList());
    }
    Path parent = dir.getParent();
    assertFalse(Files.exists(parent.resolve("evil.bin")));
  }

  static int indexOf(byte[] hay, byte[] needle) {
    return indexOfFrom(hay, needle, 0);
  }

  static int indexOfFrom(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void absurdShapeInTheGraphIsRejectedBeforeAllocating() {
    BuildResult r = build();
    for (String[] c : new String[][] {{"[100000, 100000]", "graph entry 0: shape [100000, 100000] has more than"},
        {"[20000, 20000]", "graph storage 0 needs 1600000000 bytes, more than the limit 536870912 (-Dkbyoc.limits.tensorBytes)"}}) {
      String json = r.graphJson().replaceFirst("\\[1, 16\\]", c[0]);
      LoadedPackage p = PackageReader.read(PackageWriter.toBytes(json, PARAMS, r.modules()), "pkg");
      KbyocException e = assertThrows(KbyocException.class, () -> new GraphRuntime(p.graph(), p.modules(), w -> { }));
      assertTrue(e.getMessage().startsWith(c[1]), e.getMessage());
    }
  }
}
