package dev.kbyoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.frontend.ModelLoader;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.Npy;
import dev.kbyoc.runtime.ParamsFormat;
import dev.kbyoc.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
  private static final String MODEL = """
      #[version = "0.0.5"]
      def @main(%x: Tensor[(1, 4), float32], %w: Tensor[(4), float32]) -> (Tensor[(1, 4), float32], Tensor[(1, 4), float32]) {
        %0 = add(%x, %w);
        %1 = add(%0, meta[relay.Constant][0] /* ty=Tensor[(4), float32] */);
        (nn.relu(%1), %0)
      }
      """;

  @TempDir Path dir;
  Path model;
  Path weights;
  Path x;
  String out;
  String err;

  @BeforeEach
  void files() throws IOException {
    model = dir.resolve("m.relay");
    Files.writeString(model, MODEL);
    ParamsFormat.write(dir.resolve("m.params"), Map.of("meta[relay.Constant][0]", NDArray.of(new float[] {.5f, .5f, .5f, .5f}, 4)));
    weights = dir.resolve("w.params");
    ParamsFormat.write(weights, Map.of("w", NDArray.of(new float[] {1, -2, 3, -4}, 4)));
    x = dir.resolve("x.npy");
    Npy.write(x, NDArray.of(new float[] {1, 1, -5, 2}, 1, 4));
  }

  private int run(String... args) {
    CliRun r = CliRun.of(args);
    out = r.out();
    err = r.err();
    return r.code();
  }

  @Test
  void runsWithTheInterpreterAndWritesNpyOutputs() {
    Path outDir = dir.resolve("out");
    int code = run("run", model.toString(), "--params", weights.toString(), "--input", "x=" + x, "--engine", "interpreter",
        "--out", outDir.toString());
    assertEquals(0, code, err);
    assertEquals("output_0: shape (1, 4) float32 min=0 max=2.5 mean=0.625 -> " + outDir.resolve("output_0.npy") + "\n"
        + "output_1: shape (1, 4) float32 min=-2 max=2 mean=-0.75 -> " + outDir.resolve("output_1.npy") + "\n", out);
    assertEquals(NDArray.of(new float[] {2.5f, 0, 0, 0}, 1, 4), Npy.read(outDir.resolve("output_0.npy")));
    assertEquals(NDArray.of(new float[] {2, -1, -2, -2}, 1, 4), Npy.read(outDir.resolve("output_1.npy")));
    assertEquals("", err);
  }

  @Test
  void savedModelsLoadBackAndRunTheSame() throws IOException {
    ModelLoader.Model m = ModelLoader.load(model, weights);
    Path copy = dir.resolve("copy.relay");
    Path side = ModelLoader.save(m.module(), m.params(), copy);
    assertEquals(dir.resolve("copy.params"), side);
    assertTrue(Files.readString(copy).contains("meta[relay.Constant][0] /* ty=Tensor[(4), float32] */"));
    assertEquals(0, run("run", copy.toString(), "--input", "%x=" + x));
    assertEquals("output_0: shape (1, 4) float32 min=0 max=2.5 mean=0.625\n"
        + "output_1: shape (1, 4) float32 min=-2 max=2 mean=-0.75\n", out);
  }

  private void assertUserError(String expected, String... args) {
    assertEquals(2, run(args), out + err);
    assertEquals("kbyoc: error: " + expected + "\n", err);
  }

  @Test
  void userErrorsAreOneLineWithExitCode2() throws IOException {
    assertUserError("missing input %x Tensor[(1, 4), float32] of @main (pass --input x=FILE.npy)",
        "run", model.toString(), "--params", weights.toString());
    Path bad = dir.resolve("bad.npy");
    Npy.write(bad, NDArray.of(new float[] {1, 2, 3}, 3));
    assertUserError("input %x: " + bad + " holds Tensor[(3), float32], @main expects Tensor[(1, 4), float32]",
        "run", model.toString(), "--params", weights.toString(), "--input", "x=" + bad);
    assertUserError("--input y: @main has no parameter %y (parameters: %x, %w)",
        "run", model.toString(), "--params", weights.toString(), "--input", "x=" + x, "--input", "y=" + x);
    assertUserError("--input expects NAME=FILE.npy, got [x]", "run", model.toString(), "--input", "x");
    assertUserError(model + ": --shape applies to .onnx models only (a .relay model declares its types)",
        "run", model.toString(), "--shape", "x=1x4");
    assertUserError("unknown engine [graph2] (available: interpreter, graph)", "run", model.toString(), "--engine", "graph2");
    assertUserError(dir.resolve("nope.relay") + ": model file does not exist", "run", dir.resolve("nope.relay").toString());
    Path broken = dir.resolve("broken.relay");
    Files.writeString(broken, "#[version = \"0.0.5\"]\ndef @main(%x: Tensor[(4), float32]) {\n  nn.relu(%y)\n}\n");
    assertUserError(broken + ":3:11: undefined variable %y", "run", broken.toString());
    Files.writeString(broken, "#[version = \"0.0.5\"]\ndef @main(%x: Tensor[(4), float32]) {\n  add(%x, meta[relay.Constant][0])\n}\n");
    assertUserError(broken + ":3:11: meta[relay.Constant][0] has no data: the sidecar params hold 0 constant(s) "
        + "(keys meta[relay.Constant][i])", "run", broken.toString());
    Path junk = dir.resolve("junk.npy");
    Files.write(junk, new byte[] {1, 2, 3});
    assertUserError(junk + ": not a .npy file (missing \\x93NUMPY magic)",
        "run", model.toString(), "--params", weights.toString(), "--input", "x=" + junk);
  }

  @Test
  void everyCommandReadsTheSidecarTogetherWithParams() {
    assertEquals(0, run("partition", model.toString(), "--params", weights.toString(), "--target", "test",
        "--supported-ops", "add"), err);
    assertTrue(out.contains("Compiler=\"test\""), out);
  }

  @Test
  void warnsAboutParamsThatMatchNoParameter() {
    Path extra = dir.resolve("extra.params");
    ParamsFormat.write(extra, Map.of("w", NDArray.of(new float[] {1, -2, 3, -4}, 4), "conv1_weight", NDArray.scalar(1)));
    assertEquals(0, run("run", model.toString(), "--params", extra.toString(), "--input", "x=" + x));
    assertEquals("kbyoc: warning: param [conv1_weight] matches no parameter of @main (ignored)\n", err);
  }
}
