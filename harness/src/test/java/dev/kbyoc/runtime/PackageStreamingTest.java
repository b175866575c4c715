package dev.kbyoc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kbyoc.build.BuildResult;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package writer streams the params entry from the params map: the file is byte-for-byte the
 * archive {@link PackageWriter#toBytes} builds in memory from the encoded params, and writing
 * 64 MiB of params allocates a few MiB in all (the in-memory path allocates the encoded params,
 * the growing archive buffer and its copy: several times the model). Arrays of every dtype write
 * the bytes {@link NDArray#toBytes} gives, across buffer boundaries.
 */
class PackageStreamingTest {
  @TempDir
  Path dir;

  private static Map<String, NDArray> params(int tensors, int floatsEach) {
    Map<String, NDArray> p = new LinkedHashMap<>();
    for (int t = 0; t < tensors; t++) {
      NDArray a = NDArray.zeros(DType.FLOAT32, floatsEach);
      float[] d = a.floatData();
      for (int i = 0; i < d.length; i += 997) {
        d[i] = t + i;
      }
      p.put("p" + t, a);
    }
    return p;
  }

  @Test
  void arraysWriteTheirBytesInChunks() throws IOException {
    for (DType t : DType.values()) {
      for (int n : new int[] {0, 1, 7, 40_000}) {
        byte[] raw = new byte[n * t.byteSize()];
        for (int i = 0; i < raw.length; i++) {
          raw[i] = (byte) (i * 31 + 7);
        }
        NDArray a = NDArray.fromBytes(t, new int[] {n}, raw);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        a.writeTo(out);
        assertArrayEquals(a.toBytes(), out.toByteArray(), t + " x " + n);
      }
    }
  }

  @Test
  void streamedPackageHasTheInMemoryArchivesBytes() throws IOException {
    BuildResult r = PackageCorruptionTest.build();
    Map<String, NDArray> params = params(3, 1000);
    Path out = dir.resolve("m.kpkg");
    long size = PackageWriter.write(out, r.graphJson(), params, r.modules());
    byte[] want = PackageWriter.toBytes(r.graphJson(), ParamsFormat.encode(params), r.modules());
    assertArrayEquals(want, Files.readAllBytes(out));
    assertEquals(want.length, size);
    assertArrayEquals(ParamsFormat.encode(params), PackageReader.read(want, "pkg").params());
  }

  @Test
  void writingParamsAllocatesAFewMibNotTheModel() {
    assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
        && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled());
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    BuildResult r = PackageCorruptionTest.build();
    int tensors = 16;
    int floatsEach = 1 << 20;
    Map<String, NDArray> params = params(tensors, floatsEach);
    long model = (long) tensors * floatsEach * 4;
    long self = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(self);
    PackageWriter.write(dir.resolve("big.kpkg"), r.graphJson(), params, r.modules());
    long allocated = mx.getThreadAllocatedBytes(self) - before;
    assertTrue(allocated < 8 << 20, "writing " + model + " bytes of params allocated " + allocated);
    assertTrue(Files.exists(dir.resolve("big.kpkg")));
  }
}
