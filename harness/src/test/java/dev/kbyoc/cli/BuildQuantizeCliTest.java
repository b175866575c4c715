package dev.kbyoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.build.SampleModels;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.backend.KendryteModule;
import dev.kbyoc.kendryte.codegen.QuantizeMode;
import dev.kbyoc.kendryte.codegen.KmodelFunction;
import dev.kbyoc.kendryte.format.LayerType;
import dev.kbyoc.runtime.LoadedPackage;
import dev.kbyoc.runtime.Npy;
import dev.kbyoc.runtime.PackageReader;
import dev.kbyoc.runtime.RuntimeModule;
import dev.kbyoc.testing.CliRun;
import dev.kbyoc.testing.RelayFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kbyoc build --quantize float|uint8 [--calibrate DIR]} on the built-in CNN: the modes give
 * float or uint8 kmodels, {@code --calibrate} sets the first region's input quantization from the
 * given samples (checked against the range computed here), and every user error is one line with
 * exit code 2 naming the file.
 */
class BuildQuantizeCliTest {
  @TempDir Path dir;
  Path relay;
  Path params;

  @BeforeEach
  void writeModel() throws IOException {
    RelayFiles files = RelayFiles.write(SampleModels.cnnUnpartitioned(5), dir, "cnn");
    relay = files.relay();
    params = files.params();
  }

  private CliRun build(Path out, String... extra) {
    List<String> a = new ArrayList<>(List.of("build", relay.toString(), "--params", params.toString(), "-o",
        out.toString()));
    a.addAll(List.of(extra));
    return CliRun.of(a.toArray(String[]::new));
  }

  private static List<KendryteModule> kmodels(Path pkg) throws IOException {
    LoadedPackage p = PackageReader.read(Files.readAllBytes(pkg), pkg.toString());
    List<KendryteModule> r = new ArrayList<>();
    for (RuntimeModule m : p.modules()) {
      if (m instanceof KendryteModule k) {
        r.add(k);
      }
    }
    return r;
  }

  @Test
  void quantizeModesGiveFloatOrUint8Kmodels() throws IOException {
    for (String q : List.of("float", "uint8")) {
      Path pkg = dir.resolve(q + ".kbyoc");
      CliRun b = q.equals("float") ? build(pkg) : build(pkg, "--quantize", q);
      assertEquals(0, b.code(), b.err());
      List<KendryteModule> ks = kmodels(pkg);
      assertEquals(2, ks.size());
      for (KendryteModule k : ks) {
        assertEquals(QuantizeMode.parse(q), k.function().quantizeMode(), q);
      }
    }
  }

  @Test
  void calibrationSamplesSetTheFirstRegionsInputRange() throws IOException {
    Path calib = Files.createDirectories(dir.resolve("calib"));
    Random rnd = new Random(3);
    double lo = 0;
    double hi = 0;
    for (int k = 0; k < 2; k++) {
      NDArray x = SampleModels.random(rnd, 1, 3, 16, 16);
      for (int i = 0; i < x.size(); i++) {
        x.setDouble(i, x.getDouble(i) * (k + 2));
        lo = Math.min(lo, x.getDouble(i));
        hi = Math.max(hi, x.getDouble(i));
      }
      Npy.write(calib.resolve("data_" + k + ".npy"), x);
    }
    Files.writeString(calib.resolve("notes.txt"), "not an array: ignored");
    Path pkg = dir.resolve("cal.kbyoc");
    CliRun b = build(pkg, "--quantize", "uint8", "--calibrate", calib.toString());
    assertEquals(0, b.code(), b.err());
    KmodelFunction first = kmodels(pkg).get(0).function();
    assertEquals(LayerType.K210_CONV, first.model().layers().get(0).type());
    // real = (q - zero) * scale over [min(lo, 0), max(hi, 0)] of the samples: the first region's input is the model's,
    // quantized on the host (the kmodel takes uint8)
    assertEquals((float) ((hi - lo) / 255), first.inputQuant().scale(), 1e-9);
  }

  @Test
  void userErrorsAreOneLineWithExitTwo() throws IOException {
    Path out = dir.resolve("x.kbyoc");
    CliRun q = build(out, "--quantize", "int4");
    assertEquals(2, q.code());
    assertEquals("kbyoc: error: --quantize must be float or uint8, got [int4]", q.err().strip());
    Path missing = dir.resolve("nope");
    CliRun m = build(out, "--quantize", "uint8", "--calibrate", missing.toString());
    assertEquals(2, m.code());
    assertEquals("kbyoc: error: --calibrate " + missing + ": no such directory", m.err().strip());
    Path shape = Files.createDirectories(dir.resolve("shape"));
    Npy.write(shape.resolve("data_0.npy"), SampleModels.random(new Random(1), 1, 3, 8, 8));
    CliRun s = build(out, "--quantize", "uint8", "--calibrate", shape.toString());
    assertEquals(2, s.code());
    assertEquals(1, s.err().strip().split("\n").length, s.err());
    assertTrue(s.err().startsWith("kbyoc: error: --calibrate " + shape.resolve("data_0.npy") + ": has type"), s.err());
    Path named = Files.createDirectories(dir.resolve("named"));
    Npy.write(named.resolve("input0.npy"), SampleModels.random(new Random(1), 1, 3, 16, 16));
    CliRun n = build(out, "--quantize", "uint8", "--calibrate", named.toString());
    assertEquals(2, n.code());
    assertEquals("kbyoc: error: --calibrate " + named.resolve("input0.npy") + ": not named <input>_<k>.npy for an"
        + " input of the model [data]", n.err().strip());
    Path empty = Files.createDirectories(dir.resolve("empty"));
    CliRun e = build(out, "--calibrate", empty.toString());
    assertEquals(2, e.code());
    assertTrue(e.err().strip().startsWith("kbyoc: error: --calibrate " + empty + ": no <input>_<k>.npy files"), e.err());
    CliRun none = CliRun.of("build", relay.toString(), "--params", params.toString(), "--target", "none",
        "--calibrate", empty.toString(), "-o", out.toString());
    assertEquals(2, none.code());
    assertTrue(none.err().contains("needs --target kendryte"), none.err());
    assertTrue(Files.notExists(out), "no package written on error");
  }

  /** A float kmodel cut out of a package runs with {@code kbyoc run FILE.kmodel} in float mode. */
  @Test
  void floatKmodelFileRunsInFloatMode() throws IOException {
    Path pkg = dir.resolve("f.kbyoc");
    assertEquals(0, build(pkg).code());
    KendryteModule k = kmodels(pkg).get(0);
    Path file = dir.resolve("f.kmodel");
    Files.write(file, k.function().bytes());
    NDArray x = SampleModels.random(new Random(5), 1, 3, 16, 16);
    Path xf = dir.resolve("x.npy");
    Npy.write(xf, x);
    assertFileRunEqualsModule(file, xf, dir.resolve("out"), k, x);
    CliRun d = CliRun.of("kmodel", "run", file.toString(), "--input", "input=" + xf, "--dump-layers",
        dir.resolve("dump").toString());
    assertEquals(2, d.code());
    assertTrue(d.err().strip().startsWith("kbyoc: error: f.kmodel: --dump-layers compares"), d.err());
  }

  /**
   * A uint8 kmodel cut out of a package starts with K210_CONV and takes uint8 input: given the input
   * quantized with the blob's parameters, {@code kbyoc run FILE.kmodel} gives the package module's output.
   */
  @Test
  void uint8KmodelFileRunsOnTheHostQuantizedInput() throws IOException {
    Path pkg = dir.resolve("q.kbyoc");
    assertEquals(0, build(pkg, "--quantize", "uint8").code());
    KendryteModule k = kmodels(pkg).get(0);
    Path file = dir.resolve("q.kmodel");
    Files.write(file, k.function().bytes());
    NDArray x = SampleModels.random(new Random(5), 1, 3, 16, 16);
    KmodelFunction.InputQuant iq = k.function().inputQuant();
    NDArray q = NDArray.zeros(dev.kbyoc.ir.DType.UINT8, 1, 3, 16, 16);
    float bias = (float) (-iq.zero() * (double) iq.scale());
    for (int i = 0; i < x.size(); i++) { // the SDK's QUANTIZE: roundf((x - bias) / scale), saturated
      float v = ((float) x.getDouble(i) - bias) * (1f / iq.scale());
      q.setDouble(i, Math.max(0, Math.min(255, Math.signum(v) * Math.floor(Math.abs((double) v) + 0.5))));
    }
    Path xf = dir.resolve("xq.npy");
    Npy.write(xf, q);
    assertFileRunEqualsModule(file, xf, dir.resolve("outq"), k, x);
  }

  /** {@code kbyoc run FILE.kmodel --input input=XF} writes exactly the package module's output on {@code x}. */
  private static void assertFileRunEqualsModule(Path file, Path xf, Path out, KendryteModule k, NDArray x) {
    CliRun r = CliRun.of("run", file.toString(), "--input", "input=" + xf, "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    NDArray want = k.run(k.symbols().get(0), List.of(x)).get(0);
    NDArray got = Npy.read(out.resolve("output_0.npy"));
    assertEquals(want.size(), got.size());
    for (int i = 0; i < want.size(); i++) {
      assertEquals(want.getDouble(i), got.getDouble(i), 0, "element " + i);
    }
  }
}
