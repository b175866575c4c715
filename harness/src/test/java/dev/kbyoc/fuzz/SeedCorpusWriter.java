package dev.kbyoc.fuzz;

import com.google.protobuf.ByteString;
import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.build.SampleModels;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.TestData;
import dev.kbyoc.runtime.Npy;
import dev.kbyoc.runtime.PackageReader;
import dev.kbyoc.runtime.PackageWriter;
import dev.kbyoc.runtime.ParamsFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the valid seed files of the fuzz corpus (run once with
 * {@code -Dkbyoc.fuzz.writeSeeds=true -Dtest=SeedCorpusWriter}); the seeds are committed, so
 * normal builds skip this. Seeds are small, valid instances of each format that reach deep into
 * each loader; the fuzzer mutates them.
 */
@EnabledIfSystemProperty(named = "kbyoc.fuzz.writeSeeds", matches = "true")
class SeedCorpusWriter {
  static final Path ROOT = Path.of("src/test/resources/dev/kbyoc/fuzz/LoaderFuzzTestInputs");

  static void write(LoaderTarget t, String name, byte[] b) throws IOException {
    Path dir = ROOT.resolve(t.dir());
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), b);
  }

  @Test
  void writeSeeds() throws IOException {
    Random rnd = new Random(11);
    Map<String, NDArray> params = new LinkedHashMap<>();
    params.put("w", SampleModels.random(rnd, 2, 3));
    params.put("b", NDArray.ofInt64(new long[] {1, -2}, 2));
    params.put("s", NDArray.scalar(0.5f));
    write(LoaderTarget.PARAMS, "seed-three-arrays", ParamsFormat.encode(params));
    write(LoaderTarget.PARAMS, "seed-empty", ParamsFormat.encode(Map.of()));

    write(LoaderTarget.NPY, "seed-f32", Npy.encode(SampleModels.random(rnd, 1, 3, 2)));
    write(LoaderTarget.NPY, "seed-u8", Npy.encode(NDArray.ofBytes(DType.UINT8, new byte[] {1, 2, 3}, 3)));
    write(LoaderTarget.NPY, "seed-i64-scalar", Npy.encode(NDArray.ofInt64(new long[] {7})));

    write(LoaderTarget.KMODEL, "seed-iris", TestData.bytes("kmodel/iris.kmodel"));

    BuildResult r = RelayBuild.build(SampleModels.twoRegions("kendryte", 4, 1, 4), Map.of(), BuildOptions.DEFAULT);
    byte[] pkg = PackageWriter.toBytes(r.graphJson(), ParamsFormat.encode(r.params()), r.modules());
    write(LoaderTarget.PACKAGE, "seed-two-regions", pkg);
    Map<String, byte[]> entries = PackageReader.read(pkg, "seed").entries();
    write(LoaderTarget.MANIFEST, "seed-manifest", PackageReader.read(pkg, "seed").manifest().toBytes());
    write(LoaderTarget.GRAPH_JSON, "seed-graph", entries.get(PackageWriter.GRAPH));

    write(LoaderTarget.ONNX, "seed-conv-relu-add", onnx());

    for (String f : new String[] {"basic.relay", "diamond.relay", "annotated.relay"}) {
      write(LoaderTarget.RELAY, "seed-" + f.replace(".relay", ""),
          Files.readString(Path.of("src/test/resources/relay/golden", f)).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Conv(x, W) + B, Relu, Add with a broadcast initializer, Reshape by an int64 initializer. */
  static byte[] onnx() {
    Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("seed");
    g.addInput(info("x", 1, 1, 2, 4, 4));
    g.addOutput(info("y", 1, 1, 32));
    g.addInitializer(tensor("W", new float[2 * 2 * 3 * 3], 2, 2, 3, 3));
    g.addInitializer(tensor("B", new float[] {0.5f, -0.5f}, 2));
    g.addInitializer(Onnx.TensorProto.newBuilder().setName("shape").setDataType(7).addDims(3)
        .addInt64Data(1).addInt64Data(1).addInt64Data(32).build());
    g.addNode(Onnx.NodeProto.newBuilder().setOpType("Conv").addInput("x").addInput("W").addInput("B").addOutput("c")
        .addAttribute(Onnx.AttributeProto.newBuilder().setName("pads").setType(Onnx.AttributeProto.AttributeType.INTS)
            .addInts(1).addInts(1).addInts(1).addInts(1)));
    g.addNode(Onnx.NodeProto.newBuilder().setOpType("Relu").addInput("c").addOutput("r"));
    g.addNode(Onnx.NodeProto.newBuilder().setOpType("Add").addInput("r").addInput("B2").addOutput("a"));
    g.addInitializer(tensor("B2", new float[] {1f}, 1));
    g.addNode(Onnx.NodeProto.newBuilder().setOpType("Reshape").addInput("a").addInput("shape").addOutput("y"));
    return Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("kbyoc-seed")
        .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build().toByteArray();
  }

  static Onnx.ValueInfoProto info(String name, int elem, int... shape) {
    Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder();
    for (int d : shape) {
      s.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
        .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(elem).setShape(s))).build();
  }

  static Onnx.TensorProto tensor(String name, float[] v, int... shape) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(1)
        .setRawData(ByteString.copyFrom(b.array()));
    for (int d : shape) {
      t.addDims(d);
    }
    return t.build();
  }
}
