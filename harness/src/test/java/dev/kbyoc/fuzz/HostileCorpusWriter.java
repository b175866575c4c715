package dev.kbyoc.fuzz;

import static dev.kbyoc.testing.StoredZip.zip;

import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.ParamsFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the hand-written hostile corpus entries ({@code hostile-*}: each must be rejected with
 * one line; {@code edge-*}: legal but odd, must load), derived from the seeds by the attacks
 * listed in docs/threats.md. Run once with {@code -Dkbyoc.fuzz.writeSeeds=true}; the files are
 * committed and replayed by {@link LoaderFuzzTest} and checked by {@link CorpusTest}.
 */
@EnabledIfSystemProperty(named = "kbyoc.fuzz.writeSeeds", matches = "true")
class HostileCorpusWriter {
  static byte[] seed(LoaderTarget t, String name) throws IOException {
    return Files.readAllBytes(SeedCorpusWriter.ROOT.resolve(t.dir()).resolve(name));
  }

  static byte[] put(byte[] src, int off, long v, int width) {
    byte[] b = src.clone();
    for (int i = 0; i < width; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
    return b;
  }

  static void truncations(LoaderTarget t, byte[] seed, int... cuts) throws IOException {
    for (int c : cuts) {
      if (c < seed.length) {
        SeedCorpusWriter.write(t, "hostile-truncated-" + c, Arrays.copyOf(seed, c));
      }
    }
  }

  static void w(LoaderTarget t, String name, byte[] b) throws IOException {
    SeedCorpusWriter.write(t, name, b);
  }

  static void w(LoaderTarget t, String name, String text) throws IOException {
    SeedCorpusWriter.write(t, name, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void params() throws IOException {
    LoaderTarget t = LoaderTarget.PARAMS;
    // one float32 [2, 3] array named "w": name count @16, name length @24, array count @33,
    // array magic @41, device @57, ndim @65, dtype @69, shape @73 and @81, byte size @89, data @97
    byte[] one = ParamsFormat.encode(Map.of("w", NDArray.of(new float[6], 2, 3)));
    truncations(t, one, 0, 7, 20, 30, 40, 60, 70, 80, 95, 110, 120);
    w(t, "hostile-name-count-huge", put(one, 16, 1L << 62, 8));
    w(t, "hostile-name-length-negative", put(one, 24, -1L, 8));
    w(t, "hostile-name-length-2g", put(one, 24, 0x7FFFFFF0L, 8));
    w(t, "hostile-array-count-mismatch", put(one, 33, 0, 8));
    w(t, "hostile-bad-array-magic", put(one, 41, 0x1234, 8));
    w(t, "hostile-device-gpu", put(one, 57, 2, 4));
    w(t, "hostile-ndim-negative", put(one, 65, -1, 4));
    w(t, "hostile-ndim-1000", put(one, 65, 1000, 4));
    w(t, "hostile-dtype-float16", put(one, 69, 0x00011002L, 4));
    w(t, "hostile-dim-negative", put(one, 73, -3, 8));
    w(t, "hostile-dim-2pow40", put(one, 73, 1L << 40, 8));
    w(t, "hostile-dims-overflow", put(put(one, 73, 1L << 31 - 1, 8), 81, 1L << 31 - 1, 8));
    w(t, "hostile-bytesize-smaller", put(one, 89, 20, 8));
    w(t, "hostile-bytesize-larger", put(one, 89, 28, 8));
    w(t, "hostile-bytesize-negative", put(one, 89, -24, 8));
    w(t, "hostile-bytesize-huge-matching-shape", put(put(one, 73, 1 << 30, 8), 89, 6L << 32, 8));
    byte[] trailing = Arrays.copyOf(one, one.length + 3);
    w(t, "hostile-trailing-bytes", trailing);
    // two arrays under one name
    byte[] two = ParamsFormat.encode(new java.util.LinkedHashMap<>(Map.of("a", NDArray.scalar(1f), "b", NDArray.scalar(2f))));
    two[41] = two[32]; // names at 32 and 41 (after their u64 lengths)
    w(t, "hostile-duplicate-name", two);
    w(t, "edge-nan-weights", ParamsFormat.encode(Map.of("w", NDArray.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY}, 2))));
  }

  @Test
  void npy() throws IOException {
    LoaderTarget t = LoaderTarget.NPY;
    byte[] s = seed(t, "seed-f32");
    truncations(t, s, 0, 5, 9, 11, 40, 127, 130);
    w(t, "hostile-header-length-huge", put(s, 8, 0xFFFF, 2));
    byte[] v2 = s.clone();
    v2[6] = 2;
    w(t, "hostile-v2-header-length-4g", put(Arrays.copyOf(v2, v2.length), 8, 0xFFFFFFF0L, 4));
    w(t, "hostile-version-9", put(s, 6, 9, 1));
    w(t, "hostile-shape-negative", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 3), }", 0));
    w(t, "hostile-shape-huge", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", 0));
    w(t, "hostile-shape-2g-elements", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 32768), }", 0));
    w(t, "hostile-dim-overflows-int", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999,), }", 0));
    w(t, "hostile-rank-1000", npy("{'descr': '|u1', 'fortran_order': False, 'shape': (" + "1, ".repeat(1000) + "), }", 1));
    w(t, "hostile-data-short", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", 12));
    w(t, "hostile-data-long", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 12));
    w(t, "hostile-fortran", npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16));
    w(t, "hostile-descr-object", npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", 8));
    w(t, "hostile-descr-bigendian", npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", 4));
    w(t, "hostile-unterminated-string", npy("{'descr': '<f4, 'fortran_order': False, 'shape': (1,), }", 4));
    w(t, "hostile-missing-key", npy("{'descr': '<f4', 'shape': (1,), }", 4));
    w(t, "hostile-duplicate-key", npy("{'descr': '<f4', 'descr': '|O', 'fortran_order': False, 'shape': (1,), }", 4));
    w(t, "hostile-nested-header", npy("{'descr': '<f4', 'fortran_order': False, 'shape': " + "(".repeat(5000) + "1,), }", 4));
    w(t, "edge-nan", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 0,
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN).array()));
  }

  static byte[] npy(String header, int dataBytes) {
    return npy(header, dataBytes, new byte[0]);
  }

  static byte[] npy(String header, int dataBytes, byte[] data) {
    byte[] h = (header + "\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(10 + h.length + dataBytes + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h);
    b.position(10 + h.length + dataBytes);
    b.put(data);
    return b.array();
  }

  @Test
  void kmodel() throws IOException {
    LoaderTarget t = LoaderTarget.KMODEL;
    byte[] s = seed(t, "seed-iris");
    truncations(t, s, 0, 12, 27, 35, 51, 60, 100, 200, 300, 420);
    w(t, "hostile-version-kmdl", put(s, 0, 0x4C444D4BL, 4));
    w(t, "hostile-layer-count-4g", put(s, 12, 0xFFFFFFFFL, 4));
    w(t, "hostile-output-count-2g", put(s, 24, 0x7FFFFFFFL, 4));
    w(t, "hostile-main-mem-1g", put(s, 20, 1L << 30, 4));
    w(t, "hostile-output-outside-memory", put(s, 28, 100, 4));
    w(t, "hostile-unknown-layer-type", put(s, 36, 77, 4));
    w(t, "hostile-body-size-1m", put(s, 40, 1 << 20, 4));
    w(t, "hostile-body-size-4g", put(s, 40, 0xFFFFFFFFL, 4));
    w(t, "hostile-layer-field-huge", put(s, 52, 0xFFFFFFFFL, 4));
    w(t, "hostile-layer-field-huge2", put(s, 60, 0xFFFFFFFFL, 4));
    w(t, "hostile-layer-field-huge3", put(s, 64, 0x7FFFFFFFL, 4));
  }

  @Test
  void packageArchive() throws IOException {
    LoaderTarget t = LoaderTarget.PACKAGE;
    byte[] s = seed(t, "seed-two-regions");
    truncations(t, s, 0, 3, 30, 200, 1000, 3000, s.length - 30, s.length - 1);
    w(t, "hostile-path-traversal", zip(Map.of("../evil.txt", new byte[] {1}), false));
    w(t, "hostile-absolute-path", zip(Map.of("/etc/passwd", new byte[] {1}), false));
    w(t, "hostile-backslash-traversal", zip(Map.of("..\\..\\evil", new byte[] {1}), false));
    w(t, "hostile-symlink", zip(Map.of("manifest.json", "/etc/passwd".getBytes(StandardCharsets.UTF_8)), true));
    w(t, "hostile-directory", zip(Map.of("models/", new byte[0]), false));
    w(t, "hostile-no-manifest", zip(Map.of("graph.json", "{}".getBytes(StandardCharsets.UTF_8)), false));
    w(t, "hostile-manifest-not-json", zip(Map.of("manifest.json", "{{{".getBytes(StandardCharsets.UTF_8)), false));
    // a zip whose central directory claims 2^31 - 1 uncompressed bytes for an entry of a few bytes
    byte[] liar = zip(Map.of("manifest.json", "{}".getBytes(StandardCharsets.UTF_8)), false);
    int cd = lastIndexOf(liar, new byte[] {'P', 'K', 1, 2});
    w(t, "hostile-declared-size-2g", put(put(liar, cd + 24, 0x7FFFFFFFL, 4), 22 - 4 + 4, 0x7FFFFFFFL, 4));
    // flip one byte of the params entry: the sha256 check must catch it
    byte[] flipped = s.clone();
    flipped[s.length / 2] ^= 0x20;
    w(t, "hostile-flipped-byte", flipped);
  }

  @Test
  void manifestAndGraph() throws IOException {
    LoaderTarget m = LoaderTarget.MANIFEST;
    String good = new String(seed(m, "seed-manifest"), StandardCharsets.UTF_8);
    w(m, "hostile-deep-nesting", "[".repeat(100_000));
    w(m, "hostile-traversal-name", good.replaceFirst("\"name\":\"[^\"]*\"", "\"name\":\"../../x\""));
    w(m, "hostile-negative-size", good.replaceFirst("\"size\":\\d+", "\"size\":-5"));
    w(m, "hostile-huge-size", good.replaceFirst("\"size\":\\d+", "\"size\":99999999999999999999999"));
    w(m, "hostile-version-2", good.replace("\"version\":1", "\"version\":2"));
    w(m, "hostile-duplicate-entry", good.replaceFirst("\\[(\\{[^}]*\\})", "[$1,$1"));
    w(m, "hostile-bad-sha", good.replaceFirst("\"sha256\":\"[0-9a-f]{4}", "\"sha256\":\"XYZW"));
    w(m, "hostile-module-type-injection", good.replaceFirst("\"type\":\"[a-z_]*\"", "\"type\":\"a/../b\""));

    LoaderTarget g = LoaderTarget.GRAPH_JSON;
    String graph = new String(seed(g, "seed-graph"), StandardCharsets.UTF_8);
    w(g, "hostile-deep-nesting", "{\"nodes\":" + "[".repeat(100_000));
    w(g, "hostile-self-cycle", graph.replaceFirst("\"inputs\":\\[\\[0,", "\"inputs\":[[99,"));
    w(g, "hostile-huge-shape", graph.replaceFirst("\\[\\[1,", "[[1000000,1000000,1000000,"));
    w(g, "hostile-2g-shape", graph.replaceFirst("\\[\\[1,", "[[2147483647,"));
    w(g, "hostile-negative-storage", graph.replaceFirst("\"list_int\",\\[0", "\"list_int\",[-1"));
    w(g, "hostile-storage-out-of-range", graph.replaceFirst("\"list_int\",\\[0", "\"list_int\",[100000"));
    w(g, "hostile-num-outputs-huge", graph.replaceFirst("\"func_name\"", "\"num_outputs\":\"99999999\",\"func_name\""));
    w(g, "hostile-unknown-dtype", graph.replaceFirst("\"float32\"", "\"float1024\""));
    w(g, "hostile-row-ptr-short", graph.replaceFirst("\"node_row_ptr\":\\[0,", "\"node_row_ptr\":["));
    w(g, "hostile-arg-not-input", graph.replaceFirst("\"arg_nodes\":\\[0", "\"arg_nodes\":[1000"));
  }

  @Test
  void relay() throws IOException {
    LoaderTarget t = LoaderTarget.RELAY;
    String head = "#[version = \"0.0.5\"]\n";
    w(t, "hostile-deep-parens", head + "def @main(%x: float32) {\n  " + "(".repeat(100_000) + "%x" + ")".repeat(100_000) + "\n}\n");
    w(t, "hostile-deep-calls", head + "def @main(%x: float32) {\n  " + "nn.relu(".repeat(50_000) + "%x" + ")".repeat(50_000) + "\n}\n");
    w(t, "hostile-deep-tuple-type", head + "def @main(%x: " + "(".repeat(100_000) + "float32" + ")".repeat(100_000) + ") {\n  %x\n}\n");
    w(t, "hostile-deep-attr-list", head + "def @main(%x: Tensor[(1, 3), float32]) {\n  transpose(%x, axes="
        + "[".repeat(100_000) + "]".repeat(100_000) + ")\n}\n");
    w(t, "hostile-deep-metadata", head + "def @main(%x: float32) {\n  %x\n}\n#[metadata]\n" + "[".repeat(100_000));
    w(t, "hostile-huge-tensor-type", head + "def @main(%x: Tensor[(100000, 100000, 100000), float32]) {\n  nn.relu(%x)\n}\n");
    w(t, "hostile-dim-overflow", head + "def @main(%x: Tensor[(99999999999), float32]) {\n  %x\n}\n");
    w(t, "hostile-negative-dim", head + "def @main(%x: Tensor[(-1, 3), float32]) {\n  %x\n}\n");
    w(t, "hostile-undefined-var", head + "def @main(%x: float32) {\n  add(%x, %y)\n}\n");
    w(t, "hostile-duplicate-binding", head + "def @main(%x: float32) {\n  %0 = nn.relu(%x);\n  %0 = nn.relu(%0);\n  %0\n}\n");
    w(t, "hostile-forward-reference", head + "def @main(%x: float32) {\n  %0 = add(%1, %x);\n  %1 = nn.relu(%0);\n  %1\n}\n");
    w(t, "hostile-meta-without-data", head + "def @main(%x: float32) {\n  add(%x, meta[relay.Constant][0])\n}\n");
    w(t, "hostile-meta-index-huge", head + "def @main(%x: float32) {\n  add(%x, meta[relay.Constant][99999999999999])\n}\n");
    w(t, "hostile-unterminated-comment", head + "def @main(%x: float32) {\n  %x /* \n}\n");
    w(t, "hostile-unterminated-string", head + "def @main(%x: float32) attr=\"abc {\n  %x\n}\n");
    w(t, "hostile-huge-integer", head + "def @main(%x: float32) {\n  add(%x, 99999999999999999999999999999f)\n}\n");
    w(t, "hostile-nul-bytes", head + "def @main(%x: float32) {\0\0\n  %x\n}\n");
    w(t, "hostile-tuple-index-huge", head + "def @main(%x: (float32, float32)) {\n  %x.99999999999\n}\n");
    w(t, "hostile-bad-version", "#[version = \"9.9.9\"]\ndef @main(%x: float32) {\n  %x\n}\n");
  }

  @Test
  void onnx() throws IOException {
    LoaderTarget t = LoaderTarget.ONNX;
    byte[] s = seed(t, "seed-conv-relu-add");
    truncations(t, s, 0, 1, 10, 50, 100, 200, 300, 380);
    w(t, "hostile-cycle", model(g -> g.addInput(SeedCorpusWriter.info("x", 1, 1, 2))
        .addOutput(SeedCorpusWriter.info("b", 1, 1, 2))
        .addNode(node("Add", "x", "b", "a")).addNode(node("Relu", "a", null, "b"))));
    w(t, "hostile-undefined-input", model(g -> g.addInput(SeedCorpusWriter.info("x", 1, 1, 2))
        .addOutput(SeedCorpusWriter.info("a", 1, 1, 2)).addNode(node("Add", "x", "nowhere", "a"))));
    w(t, "hostile-duplicate-output", model(g -> g.addInput(SeedCorpusWriter.info("x", 1, 1, 2))
        .addOutput(SeedCorpusWriter.info("a", 1, 1, 2)).addNode(node("Relu", "x", null, "a"))
        .addNode(node("Relu", "x", null, "a"))));
    w(t, "hostile-duplicate-initializer", model(g -> g.addInput(SeedCorpusWriter.info("x", 1, 1, 2))
        .addOutput(SeedCorpusWriter.info("a", 1, 1, 2))
        .addInitializer(SeedCorpusWriter.tensor("w", new float[] {1, 2}, 1, 2))
        .addInitializer(SeedCorpusWriter.tensor("w", new float[] {3, 4}, 1, 2)).addNode(node("Add", "x", "w", "a"))));
    w(t, "hostile-initializer-dims-huge-no-data", model(g -> g.addInput(SeedCorpusWriter.info("x", 1, 1, 2))
        .addOutput(SeedCorpusWriter.info("a", 1, 1, 2))
        .addInitializer(onnx.Onnx.TensorProto.newBuilder().setName("w").setDataType(1).addDims(1L << 20).addDims(1L << 20))
        .addNode(node("Add", "x", "w", "a"))));
    w(t, "hostile-initializer-dim-negative", model(g -> g.addInput(SeedCorpusWriter.info("x", 1, 1, 2))
        .addOutput(SeedCorpusWriter.info("a", 1, 1, 2))
        .addInitializer(onnx.Onnx.TensorProto.newBuilder().setName("w").setDataType(1).addDims(-2))
        .addNode(node("Add", "x", "w", "a"))));
    w(t, "hostile-raw-data-short", model(g -> g.addInput(SeedCorpusWriter.info("x", 1, 1, 2))
        .addOutput(SeedCorpusWriter.info("a", 1, 1, 2))
        .addInitializer(SeedCorpusWriter.tensor("w", new float[] {1}, 1, 2)).addNode(node("Add", "x", "w", "a"))));
    w(t, "hostile-constant-of-shape-1t", model(g -> g.addInput(SeedCorpusWriter.info("x", 1, 1, 2))
        .addOutput(SeedCorpusWriter.info("a", 1, 1, 2))
        .addInitializer(onnx.Onnx.TensorProto.newBuilder().setName("shape").setDataType(7).addDims(3)
            .addInt64Data(10000).addInt64Data(10000).addInt64Data(10000))
        .addNode(node("ConstantOfShape", "shape", null, "big")).addNode(node("Add", "x", "big", "a"))));
    w(t, "hostile-constant-of-shape-1g", model(g -> g.addInput(SeedCorpusWriter.info("x", 1, 1, 2))
        .addOutput(SeedCorpusWriter.info("a", 1, 1, 2))
        .addInitializer(onnx.Onnx.TensorProto.newBuilder().setName("shape").setDataType(7).addDims(2)
            .addInt64Data(16384).addInt64Data(16384))
        .addNode(node("ConstantOfShape", "shape", null, "big")).addNode(node("Add", "x", "big", "a"))));
    w(t, "hostile-input-dims-huge", model(g -> g.addInput(SeedCorpusWriter.info("x", 1, 1 << 30, 1 << 30, 1 << 30))
        .addOutput(SeedCorpusWriter.info("a", 1, 1, 2)).addNode(node("Relu", "x", null, "a"))));
    w(t, "hostile-reshape-huge", model(g -> g.addInput(SeedCorpusWriter.info("x", 1, 1, 2))
        .addOutput(SeedCorpusWriter.info("a", 1, 1, 2))
        .addInitializer(onnx.Onnx.TensorProto.newBuilder().setName("shape").setDataType(7).addDims(2)
            .addInt64Data(1L << 40).addInt64Data(-1))
        .addNode(node("Reshape", "x", "shape", "a"))));
    w(t, "hostile-opset-999", onnx.Onnx.ModelProto.newBuilder().mergeFrom(s)
        .setOpsetImport(0, onnx.Onnx.OperatorSetIdProto.newBuilder().setVersion(999)).build().toByteArray());
    w(t, "hostile-deep-subgraph", deepSubgraph(300));
    w(t, "edge-nan-initializer", model(g -> g.addInput(SeedCorpusWriter.info("x", 1, 1, 2))
        .addOutput(SeedCorpusWriter.info("a", 1, 1, 2))
        .addInitializer(SeedCorpusWriter.tensor("w", new float[] {Float.NaN, Float.NEGATIVE_INFINITY}, 1, 2))
        .addNode(node("Add", "x", "w", "a"))));
  }

  static onnx.Onnx.NodeProto.Builder node(String op, String a, String b, String out) {
    onnx.Onnx.NodeProto.Builder n = onnx.Onnx.NodeProto.newBuilder().setOpType(op).addInput(a).addOutput(out);
    if (b != null) {
      n.addInput(b);
    }
    return n;
  }

  static byte[] model(java.util.function.Consumer<onnx.Onnx.GraphProto.Builder> f) {
    onnx.Onnx.GraphProto.Builder g = onnx.Onnx.GraphProto.newBuilder().setName("hostile");
    f.accept(g);
    return onnx.Onnx.ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(onnx.Onnx.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build().toByteArray();
  }

  /** An If node whose then_branch nests {@code depth} graphs deep (protobuf's recursion limit is 100). */
  static byte[] deepSubgraph(int depth) {
    onnx.Onnx.GraphProto inner = onnx.Onnx.GraphProto.newBuilder().setName("g0").build();
    for (int i = 0; i < depth; i++) {
      inner = onnx.Onnx.GraphProto.newBuilder().setName("g").addNode(onnx.Onnx.NodeProto.newBuilder().setOpType("If")
          .addAttribute(onnx.Onnx.AttributeProto.newBuilder().setName("then_branch").setG(inner))).build();
    }
    onnx.Onnx.GraphProto top = inner;
    return model(g -> g.mergeFrom(top).addInput(SeedCorpusWriter.info("x", 1, 1, 2)));
  }

  static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static int lastIndexOf(byte[] hay, byte[] needle) {
    for (int i = hay.length - needle.length; i >= 0; i--) {
      if (indexOf(hay, needle, i) == i) {
        return i;
      }
    }
    return -1;
  }

  static Path root() {
    return SeedCorpusWriter.ROOT;
  }
}
