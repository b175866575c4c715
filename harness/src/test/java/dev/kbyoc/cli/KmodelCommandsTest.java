package dev.kbyoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.TestData;
import dev.kbyoc.runtime.Npy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KmodelCommandsTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int exec(String... args) {
    CommandLine cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void runIrisWritesTheBoardScores() throws Exception {
    Path in = dir.resolve("x.npy");
    Npy.write(in, NDArray.of(new float[] {5.1f, 3.8f, 1.9f, 0.4f}, 1, 4));
    int rc = exec("kmodel", "run", TestData.path("kmodel/iris.kmodel").toString(), "--input", "input=" + in,
        "--out", dir.resolve("o").toString());
    assertEquals(0, rc, err.toString());
    NDArray o = Npy.read(dir.resolve("o").resolve("output_0.npy"));
    assertEquals(16.077795f, o.floatData()[0], 2e-5f);
    assertEquals(5.607656f, o.floatData()[1], 2e-5f);
    assertEquals(-2.071745f, o.floatData()[2], 2e-5f);
    assertTrue(out.toString().startsWith("output_0: shape (1, 3) float32"), out.toString());
  }

  @Test
  void dumpLayersWritesBothModesAndATable() throws Exception {
    Path in = dir.resolve("x.npy");
    Npy.write(in, NDArray.of(new float[] {5.1f, 3.8f, 1.9f, 0.4f}, 1, 4));
    int rc = exec("kmodel", "run", TestData.path("kmodel/iris.kmodel").toString(), "--input", "input=" + in,
        "--dump-layers", dir.resolve("d").toString());
    assertEquals(0, rc, err.toString());
    NDArray l0 = Npy.read(dir.resolve("d").resolve("layer_00_FULLY_CONNECTED_uint8.npy"));
    assertEquals(10, l0.size());
    assertTrue(Files.exists(dir.resolve("d").resolve("layer_01_FULLY_CONNECTED_float.npy")));
    // Float layers differ between the modes only by float32 (SDK) vs double (float mode) sums.
    assertTrue(out.toString().contains("layer  1 FULLY_CONNECTED"), out.toString());
    java.util.regex.Matcher mt = java.util.regex.Pattern.compile("cosine (\\S+) max_abs (\\S+)").matcher(out.toString());
    int rows = 0;
    while (mt.find()) {
      rows++;
      assertEquals("1.000000", mt.group(1), out.toString());
      assertTrue(Double.parseDouble(mt.group(2)) < 1e-5, out.toString());
    }
    assertTrue(rows >= 2, out.toString());
  }

  @Test
  void plainRunTakesAKmodel() throws Exception {
    Path in = dir.resolve("x.npy");
    Npy.write(in, NDArray.of(new float[] {5.1f, 3.8f, 1.9f, 0.4f}, 1, 4));
    assertEquals(0, exec("run", TestData.path("kmodel/iris.kmodel").toString(), "--input", "input=" + in), err.toString());
    assertTrue(out.toString().startsWith("output_0: shape (1, 3) float32 min=-2.07"), out.toString());
  }

  @Test
  void plainInspectTakesAKmodel() {
    java.io.PrintStream old = System.out;
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(buf, true));
    try {
      assertEquals(0, exec("inspect", TestData.path("kmodel/iris.kmodel").toString()), err.toString());
    } finally {
      System.setOut(old);
    }
    assertTrue(buf.toString().startsWith("iris.kmodel: kmodel v3, 8-bit weights, 2 layers"), buf.toString());
  }

  @Test
  void inspectJsonListsLayers() throws Exception {
    int rc = exec("kmodel", "inspect", TestData.path("kmodel/yolo.kmodel").toString(), "--json");
    assertEquals(0, rc, err.toString());
    JsonNode j = new ObjectMapper().readTree(out.toString());
    assertEquals(17, j.get("layers").size());
    JsonNode l0 = j.get("layers").get(0);
    assertEquals("K210_CONV", l0.get("type").asText());
    assertEquals("[3,240,320]", l0.get("input_shape").toString());
    assertEquals("[16,120,160]", l0.get("output_shape").toString());
    assertEquals(29168, l0.get("kpu_input_line").asInt());
    assertEquals(432, l0.get("weight_bytes").asInt());
    assertEquals("max_2_s2", l0.get("pool").asText());
    assertEquals(43752, j.get("main_mem_usage").asInt());
  }

  @Test
  void userErrorsExitTwoWithOneLine() throws Exception {
    Path bad = dir.resolve("bad.kmodel");
    Files.write(bad, new byte[] {4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    assertEquals(2, exec("kmodel", "inspect", bad.toString()));
    String e = err.toString().trim();
    assertTrue(e.startsWith("kbyoc: error: kmodel bad.kmodel: header at offset 0: bad version 4"), e);
    assertEquals(1, e.lines().count(), e);
    Path in = dir.resolve("wrong.npy");
    Npy.write(in, NDArray.of(new float[] {1, 2, 3}, 1, 3));
    err.getBuffer().setLength(0);
    assertEquals(2, exec("kmodel", "run", TestData.path("kmodel/iris.kmodel").toString(), "--input", "input=" + in));
    assertTrue(err.toString().contains("input has 3 elements"), err.toString());
  }

  /**
   * Issue 6: an over-budget layer and an unsupported layer parameter in a real kmodel (nncase's
   * yolo, first K210_CONV layer patched through its {@code kpu_layer_argument_t} at the
   * {@code layer_offset} the conv body gives) are one-line errors naming the layer, exit 2.
   */
  @Test
  void overBudgetAndUnsupportedLayerParametersExitTwoNamingTheLayer() throws Exception {
    byte[] yolo = Files.readAllBytes(TestData.path("kmodel/yolo.kmodel"));
    Path in = dir.resolve("x.npy");
    Npy.write(in, NDArray.zeros(dev.kbyoc.ir.DType.FLOAT32, 1, 3, 240, 320));
    // image_dst_addr (register 1, bits 32-46, 64-byte lines): line 32760 leaves 7 lines of the 2 MiB.
    String over = runPatched(yolo, "over", 1, 32, 15, 32760, in);
    assertEquals("kbyoc: error: kmodel over.kmodel: layer 0 (K210_CONV) output: a 16x120x160 map at KPU RAM line"
        + " 32760 needs 368640 bytes up to byte 2465280, beyond the 2097152-byte KPU RAM", over);
    // kernel_type (register 4, bits 0-2): 2 is neither 1x1 nor 3x3.
    String kernel = runPatched(yolo, "kernel", 4, 0, 3, 2, in);
    assertEquals("kbyoc: error: kmodel kernel.kmodel: layer 0 (K210_CONV): kernel_type 2 is not 0 (1x1) or 1 (3x3)",
        kernel);
  }

  private String runPatched(byte[] kmodel, String name, int register, int lowBit, int width, long value, Path in)
      throws Exception {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(kmodel.clone()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int layers = b.getInt(12);
    int outputs = b.getInt(24);
    int firstBody = 28 + 8 * outputs + 8 * layers;
    assertEquals(10240, b.getInt(28 + 8 * outputs), "first layer is K210_CONV");
    int layerOffset = b.getInt(firstBody + 8);
    int at = layerOffset + 8 * register;
    long mask = ((1L << width) - 1) << lowBit;
    b.putLong(at, (b.getLong(at) & ~mask) | (value << lowBit));
    Path file = dir.resolve(name + ".kmodel");
    Files.write(file, b.array());
    err.getBuffer().setLength(0);
    assertEquals(2, exec("kmodel", "run", file.toString(), "--input", "input=" + in));
    String e = err.toString().strip();
    assertEquals(1, e.lines().count(), e);
    return e;
  }
}
