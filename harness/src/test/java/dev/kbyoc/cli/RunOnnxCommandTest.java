package dev.kbyoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.NDArray;
import dev.kbyoc.onnx.TensorProtos;
import dev.kbyoc.runtime.Npy;
import dev.kbyoc.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kbyoc run} on ONNX models: {@code --shape}, initializers as params, one-line errors with exit 2. */
class RunOnnxCommandTest {
  @TempDir Path dir;
  Path model;
  Path x;
  String out;
  String err;

  /** y = relu(x + b) with x: [N, 4] (dynamic batch) and b an initializer. */
  static ModelProto addRelu(String secondOp) {
    ValueInfoProto in = ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder().setTensorType(
        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(4))))).build();
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(in)
        .addOutput(ValueInfoProto.newBuilder().setName("y"))
        .addInitializer(TensorProtos.fromNDArray(NDArray.of(new float[] {1, -2, 3, -4}, 4), "b"))
        .addNode(NodeProto.newBuilder().setOpType("Add").setName("add").addInput("x").addInput("b").addOutput("s"))
        .addNode(NodeProto.newBuilder().setOpType(secondOp).setName("act").addInput("s").addOutput("y")).build();
    return ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build();
  }

  @BeforeEach
  void files() throws IOException {
    model = dir.resolve("m.onnx");
    Files.write(model, addRelu("Relu").toByteArray());
    x = dir.resolve("x.npy");
    Npy.write(x, NDArray.of(new float[] {1, 1, -5, 2, 0, 0, 0, 0}, 2, 4));
  }

  private int run(String... args) {
    CliRun r = CliRun.of(args);
    out = r.out();
    err = r.err();
    return r.code();
  }

  private void assertOneLineError(int code, String... fragments) {
    assertEquals(2, code, out + err);
    assertEquals(1, err.strip().lines().count(), err);
    assertTrue(err.startsWith("kbyoc: error: "), err);
    for (String f : fragments) {
      assertTrue(err.contains(f), "missing [" + f + "] in " + err);
    }
  }

  @Test
  void runsAnOnnxModelWithShapeAndItsInitializersAsParams() {
    Path outDir = dir.resolve("out");
    int code = run("run", model.toString(), "--shape", "x=2x4", "--input", "x=" + x, "--out", outDir.toString());
    assertEquals(0, code, err);
    // relu([1, 1, -5, 2] + [1, -2, 3, -4]) = [2, 0, 0, 0]; relu([0, 0, 0, 0] + b) = [1, 0, 3, 0]
    assertEquals(NDArray.of(new float[] {2, 0, 0, 0, 1, 0, 3, 0}, 2, 4), Npy.read(outDir.resolve("output_0.npy")));
    assertTrue(out.startsWith("output_0: shape (2, 4) float32"), out);
  }

  @Test
  void dynamicDimWithoutShapeIsAUserError() {
    assertOneLineError(run("run", model.toString(), "--input", "x=" + x), "m.onnx", "--shape x=");
  }

  @Test
  void truncatedOnnxIsAUserError() throws IOException {
    byte[] b = Files.readAllBytes(model);
    Files.write(model, Arrays.copyOf(b, b.length / 2));
    assertOneLineError(run("run", model.toString(), "--shape", "x=2x4", "--input", "x=" + x), "m.onnx", "truncated");
    assertFalse(err.contains("Exception"), err);
  }

  @Test
  void unsupportedOpIsAUserErrorNamingTheNode() throws IOException {
    Files.write(model, addRelu("Erf").toByteArray());
    assertOneLineError(run("run", model.toString(), "--shape", "x=2x4", "--input", "x=" + x),
        "unsupported ONNX ops: Erf x1 (node 'act')");
  }

  @Test
  void partitionAcceptsOnnxWithShape() {
    int code = run("partition", model.toString(), "--shape", "x=2x4", "--target", "t", "--supported-ops", "add", "--json");
    assertEquals(0, code, err);
    assertTrue(out.contains("\"name\": \"t_0\"") || out.contains("\"name\":\"t_0\""), out);
    assertOneLineError(run("partition", model.toString(), "--json"), "--shape x=");
  }

  @Test
  void badShapeSpecIsAUserError() {
    assertOneLineError(run("run", model.toString(), "--shape", "x=2xfour", "--input", "x=" + x), "--shape");
  }
}
