package dev.kbyoc.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import onnx.Onnx.TensorProto;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 8's malformed-ONNX list through the CLI: a truncated protobuf, a missing initializer, an
 * initializer of the wrong dtype, a cycle and an unknown opset each make {@code kbyoc build}
 * print one line naming the file (and node or tensor) and exit 2, with no stack trace.
 */
class OnnxMalformedCliTest {
  @TempDir
  Path dir;

  private static OnnxBuilder addRelu() {
    return OnnxBuilder.create().input("x", 1, 4).output("y", 1, 4)
        .initializer("b", NDArray.of(new float[] {1, 2, 3, 4}, 4))
        .node("Add", "add0", new String[] {"x", "b"}, new String[] {"s"})
        .node("Relu", "relu0", new String[] {"s"}, new String[] {"y"});
  }

  static Stream<Arguments> malformed() {
    byte[] good = addRelu().bytes();
    TensorProto wrongDtype = TensorProto.newBuilder().setName("b").setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addDims(4).setRawData(ByteString.copyFrom(new byte[8])).build(); // 4 floats need 16 bytes
    return Stream.of(
        Arguments.of("truncated", Arrays.copyOf(good, good.length / 2), "truncated"),
        Arguments.of("missing initializer", OnnxBuilder.create().input("x", 1, 4).output("y", 1, 4)
            .node("Add", "add0", new String[] {"x", "b"}, new String[] {"y"}).bytes(), "'b'"),
        Arguments.of("wrong dtype", OnnxBuilder.create().input("x", 1, 4).output("y", 1, 4).rawInitializer(wrongDtype)
            .node("Add", "add0", new String[] {"x", "b"}, new String[] {"y"}).bytes(), "needs 16"),
        Arguments.of("cycle", OnnxBuilder.create().input("x", 1, 4).output("y", 1, 4)
            .node("Add", "add0", new String[] {"x", "r"}, new String[] {"s"})
            .node("Relu", "relu0", new String[] {"s"}, new String[] {"r"})
            .node("Relu", "out", new String[] {"s"}, new String[] {"y"}).bytes(), "cycle"),
        Arguments.of("unknown opset", addRelu().opset(99).bytes(), "opset version 99"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedModelIsOneLineAndExitTwo(String what, byte[] model, String fragment) throws IOException {
    Path file = dir.resolve("bad.onnx");
    Files.write(file, model);
    CliRun r = CliRun.of("build", file.toString(), "-o", dir.resolve("out.kpkg").toString());
    assertEquals(2, r.code(), what + ": " + r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("bad.onnx") && r.err().contains(fragment), what + ": " + r.err());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    assertFalse(Files.exists(dir.resolve("out.kpkg")), "no package is written");
  }
}
