package dev.kbyoc.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** {@code kbyoc run model.onnx}: initializers become params, inputs come from .npy files. */
class OnnxRunCommandTest {
  @TempDir Path dir;

  @Test
  void runsAnOnnxModel() throws IOException {
    Path model = dir.resolve("m.onnx");
    Files.write(model, OnnxBuilder.create().input("input.1", 1, 4).output("y", 1, 4)
        .initializer("bias:0", NDArray.of(new float[] {1, -2, 3, -4}, 4))
        .node("Add", "add0", new String[] {"input.1", "bias:0"}, new String[] {"s"})
        .node("Relu", "relu0", new String[] {"s"}, new String[] {"y"}).bytes());
    Path x = dir.resolve("x.npy");
    Npy.write(x, NDArray.of(new float[] {0.5f, 1, -5, 2}, 1, 4));
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = Main.execute("run", model.toString(), "--input", "input.1=" + x, "--out", dir.toString());
    } finally {
      System.setOut(old);
    }
    assertEquals(0, code);
    // relu(x + b) by hand: [1.5, 0, 0, 0]
    assertEquals("output_0: shape (1, 4) float32 min=0 max=1.5 mean=0.375 -> " + dir.resolve("output_0.npy") + "\n",
        out.toString(StandardCharsets.UTF_8));
    assertEquals(NDArray.of(new float[] {1.5f, 0, 0, 0}, 1, 4), Npy.read(dir.resolve("output_0.npy")));
  }
}
