package dev.kbyoc.cli;

import static dev.kbyoc.cli.PackageCliTest.kbyoc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.build.SampleModels;
import dev.kbyoc.build.SeedScenario;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.text.RelayPrinter;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.runtime.Npy;
import dev.kbyoc.runtime.ParamsFormat;
import dev.kbyoc.testing.RelayFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kbyoc build} and {@code kbyoc run} on a partitioned Relay model, both updaters. */
class BuildRunCliTest {

  @Test
  void buildRunAndSeedBugThroughTheCommandLine(@TempDir Path dir) throws IOException {
    IRModule model = InferType.run(SampleModels.cnn("kendryte", 3));
    RelayPrinter.Printed printed = RelayPrinter.print(model);
    Path relay = dir.resolve("cnn.relay");
    Files.writeString(relay, printed.text());
    Path params = dir.resolve("cnn.params");
    ParamsFormat.write(params, dev.kbyoc.ir.text.MetaConstants.toParams(printed.constants()));
    NDArray x = SampleModels.random(new Random(4), 1, 3, 16, 16);
    Path xf = dir.resolve("x.npy");
    Npy.write(xf, x);
    NDArray want = new Interpreter(model).runFlat(Map.of("data", x)).get(0);

    PackageCliTest.Run b = kbyoc("build", relay.toString(), "--params", params.toString(), "-o", dir.resolve("ok.kbyoc").toString());
    assertEquals(0, b.code(), b.err());
    assertTrue(b.out().startsWith("wrote " + dir.resolve("ok.kbyoc") + ": "), b.out());
    assertEquals("", b.err());

    PackageCliTest.Run bug = kbyoc("build", relay.toString(), "--params", params.toString(), "--constant-updater", "default",
        "-o", dir.resolve("bug.kbyoc").toString());
    assertEquals(0, bug.code(), bug.err());
    assertTrue(bug.err().startsWith("kbyoc: warning: constant invariant violated: 6 constants"), bug.err());
    assertTrue(Files.size(dir.resolve("bug.kbyoc")) > 1.8 * Files.size(dir.resolve("ok.kbyoc")));

    Path out = dir.resolve("out");
    PackageCliTest.Run r = kbyoc("run", dir.resolve("ok.kbyoc").toString(), "--input", "data=" + xf, "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
    assertTrue(r.out().startsWith("output_0: shape (1, 10) float32 "), r.out());
    assertTrue(SeedScenario.maxRelErr(Npy.read(out.resolve("output_0.npy")), want) <= 1e-5);

    Path outBug = dir.resolve("out-bug");
    PackageCliTest.Run rb = kbyoc("run", dir.resolve("bug.kbyoc").toString(), "--input", "data=" + xf, "--out", outBug.toString());
    assertEquals(0, rb.code(), rb.err());
    assertEquals(6, rb.err().split("Warning: cannot find \"kendryte_", -1).length - 1, rb.err());
    assertTrue(rb.err().contains("Warning: cannot find \"kendryte_0_const_0\" among input"), rb.err());
    assertEquals(Npy.read(out.resolve("output_0.npy")), Npy.read(outBug.resolve("output_0.npy")), "identical outputs");

    PackageCliTest.Run ri = kbyoc("run", relay.toString(), "--params", params.toString(), "--input", "data=" + xf);
    assertEquals(0, ri.code(), ri.err());
    PackageCliTest.Run rg = kbyoc("run", relay.toString(), "--params", params.toString(), "--input", "data=" + xf, "--engine", "graph");
    assertEquals(0, rg.code(), rg.err());
  }

  @Test
  void userErrorsExitTwoWithOneLine(@TempDir Path dir) throws IOException {
    Path pkg = PackageCliTest.export(dir, "p.kbyoc", false);
    PackageCliTest.Run missing = kbyoc("run", pkg.toString());
    assertEquals(2, missing.code());
    assertEquals("kbyoc: error: no value given for input [x] (use --input NAME=FILE.npy)", missing.err().strip());
    Path notModel = dir.resolve("m.txt");
    Files.writeString(notModel, "hello");
    PackageCliTest.Run bad = kbyoc("build", notModel.toString(), "-o", dir.resolve("o.kbyoc").toString());
    assertEquals(2, bad.code());
    assertEquals(1, bad.err().strip().split("\n").length);
    PackageCliTest.Run upd = kbyoc("build", notModel.toString(), "--constant-updater", "sometimes", "-o", dir.resolve("o.kbyoc").toString());
    assertEquals(2, upd.code());
    assertTrue(upd.err().contains("--constant-updater must be registered or default"), upd.err());
  }

  @Test
  void unpartitionedModelIsPartitionedForKendryteOrBuiltHostOnly(@TempDir Path dir) throws IOException {
    IRModule model = InferType.run(SampleModels.cnnUnpartitioned(5));
    RelayFiles files = RelayFiles.write(model, dir, "cnn");
    Path relay = files.relay();
    Path params = files.params();
    NDArray x = SampleModels.random(new Random(8), 1, 3, 16, 16);
    Path xf = dir.resolve("x.npy");
    Npy.write(xf, x);
    NDArray want = new Interpreter(model).runFlat(Map.of("data", x)).get(0);
    for (String target : java.util.List.of("kendryte", "none")) {
      Path pkg = dir.resolve(target + ".kbyoc");
      PackageCliTest.Run b = kbyoc("build", relay.toString(), "--params", params.toString(), "--target", target, "-o", pkg.toString());
      assertEquals(0, b.code(), b.err());
      assertEquals(target.equals("kendryte"), b.out().contains("kendryte ("), b.out());
      Path out = dir.resolve("out-" + target);
      PackageCliTest.Run r = kbyoc("run", pkg.toString(), "--input", "data=" + xf, "--out", out.toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(SeedScenario.maxRelErr(Npy.read(out.resolve("output_0.npy")), want) <= 1e-5);
      PackageCliTest.Run i = kbyoc("inspect", pkg.toString());
      assertEquals(0, i.code(), i.out());
    }
  }
}
