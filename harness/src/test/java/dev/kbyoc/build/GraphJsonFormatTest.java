package dev.kbyoc.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import dev.kbyoc.runtime.GraphJson;
import dev.kbyoc.runtime.GraphJsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Graph JSON byte-compatibility with TVM's dmlc writer, hand-derived from TVM's format. */
class GraphJsonFormatTest {

  private static String resource(String name) throws IOException {
    try (InputStream in = GraphJsonFormatTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void addReluGraphIsByteIdenticalToHandWrittenTvmJson() throws IOException {
    Var x = new Var("x", TensorType.f32(1, 4));
    NDArray c = NDArray.of(new float[] {1, -2, 3, -4}, 1, 4);
    IRModule m = IRModule.fromMain(new Function(List.of(x), Call.op("nn.relu", Call.op("add", x, new Constant(c)))));
    BuildResult r = RelayBuild.build(m, Map.of(), BuildOptions.DEFAULT);
    assertEquals(resource("add_relu.graph.json"), r.graphJson());
    assertEquals(List.of("p0"), List.copyOf(r.params().keySet()));
    assertEquals(c, r.params().get("p0"));
  }

  @Test
  void readerRoundTripsWriterOutputExactly() throws IOException {
    String text = resource("add_relu.graph.json");
    GraphJson g = GraphJsonReader.read(text, "add_relu.graph.json");
    assertEquals(text, g.toJson());
    assertEquals(List.of("x", "p0"), g.inputNames());
  }

  @Test
  void externalChainReusesStorageLikeTvm() {
    // x -> @e_0 -> @e_1 -> @e_2: e_2 reuses e_0's storage once e_1 has read it (graph_plan_memory).
    TensorType t = TensorType.f32(2, 8);
    Map<String, Function> fs = new LinkedHashMap<>();
    Var x = new Var("x", t);
    var body = (dev.kbyoc.ir.Expr) x;
    for (int i = 0; i < 3; i++) {
      Var a = new Var("a", t);
      fs.put("json_" + i, SampleModels.external("json", "json_" + i, List.of(a), Call.op("nn.relu", a)));
      body = new Call(new GlobalVar("json_" + i), List.of(body), Attrs.empty());
    }
    fs.put(IRModule.MAIN, new Function(List.of(x), body));
    BuildResult r = RelayBuild.build(IRModule.of(fs), Map.of(), BuildOptions.DEFAULT);
    assertArrayEquals(new int[] {0, 1, 2, 1}, r.graph().storageIds());
    assertEquals(List.of("x", "json_0", "json_1", "json_2"), r.graph().nodes().stream().map(GraphJson.Node::name).toList());
    assertEquals("json_1", r.graph().nodes().get(2).attrs().get("func_name"));
  }

  @Test
  void largerFreedBlockWithinSixteenTimesIsReused() {
    // x[64] -> e0 (64 floats) -> e1 (64) -> e2 sum-like? use relu chain with widening via add broadcast.
    TensorType small = TensorType.f32(1, 4);
    TensorType big = TensorType.f32(16, 4);
    Var x = new Var("x", big);
    Var a0 = new Var("a", big);
    Var a1 = new Var("a", big);
    Var a2 = new Var("a", big);
    Map<String, Function> fs = new LinkedHashMap<>();
    fs.put("json_0", SampleModels.external("json", "json_0", List.of(a0), Call.op("nn.relu", a0)));
    fs.put("json_1", SampleModels.external("json", "json_1", List.of(a1), Call.op("nn.relu", a1)));
    Var s = new Var("s", small);
    fs.put("json_2", SampleModels.external("json", "json_2", List.of(a2, s), Call.op("add", a2, s)));
    Var y = new Var("y", small);
    Var b = new Var("b", small);
    fs.put("json_3", SampleModels.external("json", "json_3", List.of(b), Call.op("nn.relu", b)));
    var e0 = new Call(new GlobalVar("json_0"), List.of(x), Attrs.empty());
    var e1 = new Call(new GlobalVar("json_1"), List.of(e0), Attrs.empty());
    var e3 = new Call(new GlobalVar("json_3"), List.of(y), Attrs.empty());
    var e2 = new Call(new GlobalVar("json_2"), List.of(e1, e3), Attrs.empty());
    fs.put(IRModule.MAIN, new Function(List.of(x, y), e2));
    BuildResult r = RelayBuild.build(IRModule.of(fs), Map.of(), BuildOptions.DEFAULT);
    // x=0, y=1, e0=2, e1=3 (frees e0: 256 B), e3 (16 B) takes e0's block (256 <= 16*16), e2 new=4.
    assertArrayEquals(new int[] {0, 1, 2, 3, 2, 4}, r.graph().storageIds());
  }

  @Test
  void readerRejectsDanglingReferenceWithOneLine() throws IOException {
    String bad = resource("add_relu.graph.json").replace("[\n          1, \n          0, \n          0\n        ]",
        "[\n          7, \n          0, \n          0\n        ]");
    KbyocException e = assertThrows(KbyocException.class, () -> GraphJsonReader.read(bad, "g.json"));
    assertEquals("g.json: input of node 2 refers to [7, 0], which does not exist before it", e.getMessage());
  }

  @Test
  void arraysOverTenItemsGoMultiLineAsDmlcWritesThem() {
    TensorType t = TensorType.f32(2);
    Map<String, Function> fs = new LinkedHashMap<>();
    Var x = new Var("x", t);
    dev.kbyoc.ir.Expr body = x;
    for (int i = 0; i < 11; i++) {
      Var a = new Var("a", t);
      fs.put("json_" + i, SampleModels.external("json", "json_" + i, List.of(a), Call.op("nn.relu", a)));
      body = new Call(new GlobalVar("json_" + i), List.of(body), Attrs.empty());
    }
    fs.put(IRModule.MAIN, new Function(List.of(x), body));
    String json = RelayBuild.build(IRModule.of(fs), Map.of(), BuildOptions.DEFAULT).graphJson();
    assertTrue(json.endsWith("  \"node_row_ptr\": [\n    0, \n    1, \n    2, \n    3, \n    4, \n    5, \n    6, \n    7, \n"
        + "    8, \n    9, \n    10, \n    11, \n    12\n  ]\n}"), json);
    assertTrue(json.contains("    \"storage_id\": [\n      \"list_int\", \n      [\n        0, \n        1, \n        2, \n        1, \n"), json);
    assertTrue(json.contains("  \"arg_nodes\": [0], \n"), json);
  }

  @Test
  void readerAcceptsTvmGraphsWithExtraStringAttrs() {
    String tvm = """
        {
          "nodes": [
            {
              "op": "null",\s
              "name": "data",\s
              "inputs": []
            },\s
            {
              "op": "tvm_op",\s
              "name": "tvmgen_default_fused_nn_relu",\s
              "attrs": {
                "num_outputs": "1",\s
                "num_inputs": "1",\s
                "flatten_data": "0",\s
                "hash": "688034377645acbd",\s
                "func_name": "tvmgen_default_fused_nn_relu"
              },\s
              "inputs": [
                [
                  0,\s
                  0,\s
                  0
                ]
              ]
            }
          ],\s
          "arg_nodes": [0],\s
          "heads": [
            [
              1,\s
              0,\s
              0
            ]
          ],\s
          "attrs": {
            "dltype": [
              "list_str",\s
              [
                "float32",\s
                "float32"
              ]
            ],\s
            "device_index": [
              "list_int",\s
              [1, 1]
            ],\s
            "storage_id": [
              "list_int",\s
              [0, 1]
            ],\s
            "shape": [
              "list_shape",\s
              [
                [1, 8],\s
                [1, 8]
              ]
            ]
          },\s
          "node_row_ptr": [0, 1, 2]
        }""";
    GraphJson g = GraphJsonReader.read(tvm, "tvm.json");
    assertEquals("688034377645acbd", g.nodes().get(1).attrs().get("hash"));
    assertEquals(tvm, g.toJson());
  }
}
