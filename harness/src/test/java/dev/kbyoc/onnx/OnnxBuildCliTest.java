package dev.kbyoc.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.cli.Main;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.Npy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kbyoc build} / {@code run} on an ONNX model: initialisers bound, partitioned, packaged. */
class OnnxBuildCliTest {

  @Test
  void onnxModelBuildsPartitionsAndRuns(@TempDir Path dir) throws IOException {
    byte[] onnx = OnnxBuilder.create().input("x", 1, 4).output("y", 1, 4)
        .initializer("bias", NDArray.of(new float[] {1, -2, 3, -4}, 4))
        .initializer("scale", NDArray.of(new float[] {2, 2, 2, 2}, 4))
        .node("Add", "add0", new String[] {"x", "bias"}, new String[] {"s"})
        .node("Relu", "relu0", new String[] {"s"}, new String[] {"r"})
        .node("Mul", "mul0", new String[] {"r", "scale"}, new String[] {"y"}).bytes();
    Path model = dir.resolve("m.onnx");
    Files.write(model, onnx);
    Path pkg = dir.resolve("m.kbyoc");
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int build;
    int run;
    Path x = dir.resolve("x.npy");
    Npy.write(x, NDArray.of(new float[] {0.5f, 1, -5, 2}, 1, 4));
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      build = Main.execute("build", model.toString(), "-o", pkg.toString());
      run = Main.execute("run", pkg.toString(), "--input", "x=" + x, "--out", dir.resolve("o").toString());
    } finally {
      System.setOut(old);
    }
    assertEquals(0, build, out.toString());
    assertEquals(0, run, out.toString());
    assertTrue(out.toString().startsWith("wrote " + pkg + ": "), out.toString());
    // 2 * relu(x + b) by hand: [3, 0, 0, 0]
    assertArrayEquals(new float[] {3, 0, 0, 0}, Npy.read(dir.resolve("o").resolve("output_0.npy")).floatData());
  }
}
