package dev.kbyoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.StructuralEqual;
import dev.kbyoc.ir.text.RelayParser;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.runtime.ParamsFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PartitionCommandTest {
  static final String MODEL = """
      #[version = "0.0.5"]
      def @main(%x: Tensor[(1, 4), float32], %w: Tensor[(1, 4), float32]) -> Tensor[(1, 4), float32] {
        %0 = add(%x, %w) /* ty=Tensor[(1, 4), float32] */;
        %1 = tanh(%0) /* ty=Tensor[(1, 4), float32] */;
        %2 = nn.relu(%1) /* ty=Tensor[(1, 4), float32] */;
        add(%2, %x) /* ty=Tensor[(1, 4), float32] */
      }
      """;

  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  Path model(String text) throws Exception {
    Path p = dir.resolve("m.relay");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void jsonSummaryHasDesignShape() throws Exception {
    Path m = model(MODEL);
    Result r = run("partition", m.toString(), "--target", "t", "--supported-ops", "add,nn.relu", "--json");
    assertEquals(0, r.code(), r.err());
    assertEquals("{\"functions\": [{\"name\": \"t_0\", \"compiler\": \"t\", \"ops\": [\"%0\"], \"params\": 2, "
        + "\"outputs\": 1, \"constants\": 0}, {\"name\": \"t_2\", \"compiler\": \"t\", \"ops\": [\"%2\", \"add@6:3\"], "
        + "\"params\": 2, \"outputs\": 1, \"constants\": 0}],\n \"host_ops\": [\"%1\"]}\n", r.out());
  }

  @Test
  void boundWeightsStayInsideAndUnknownParamsWarn() throws Exception {
    Path m = model(MODEL);
    Path params = dir.resolve("w.params");
    ParamsFormat.write(params, Map.of("w", NDArray.of(new float[] {1, 2, 3, 4}, 1, 4),
        "bogus", NDArray.of(new float[] {1}, 1)));
    Result r = run("partition", m.toString(), "--params", params.toString(), "--target", "t",
        "--supported-ops", "add,nn.relu", "--json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("{\"functions\": [{\"name\": \"t_0\", \"compiler\": \"t\", \"ops\": [\"%0\"], "
        + "\"params\": 1, \"outputs\": 1, \"constants\": 1}"), r.out());
    assertEquals("kbyoc: warning: param [bogus] matches no parameter of @main; ignored\n", r.err());
  }

  @Test
  void relayOutputParsesBackAndComputesTheSame() throws Exception {
    Path m = model(MODEL);
    Path out = dir.resolve("out.relay");
    Result r = run("partition", m.toString(), "--target", "t", "--supported-ops", "add,nn.relu", "-o", out.toString());
    assertEquals(0, r.code(), r.err());
    IRModule before = RelayParser.parse("m", MODEL, List.of(), InferType::run);
    IRModule after = RelayParser.parse("out", Files.readString(out), List.of(), InferType::run);
    assertEquals(List.of("main", "t_0", "t_2"), after.functions().keySet().stream().sorted().toList());
    assertEquals("t", after.get("t_2").compiler());
    Map<String, NDArray> in = Map.of("x", NDArray.of(new float[] {-1, 2, -3, 4}, 1, 4),
        "w", NDArray.of(new float[] {0.5f, -7, 1, 2}, 1, 4));
    assertEquals(new Interpreter(before).runFlat(in), new Interpreter(after).runFlat(in));
    assertFalse(StructuralEqual.equal(before, after));
  }

  @Test
  void dotHasOneClusterPerFunctionAndDumpWritesEveryPass() throws Exception {
    Path m = model(MODEL);
    Path dot = dir.resolve("g.dot");
    Path dump = dir.resolve("dump");
    Result r = run("partition", m.toString(), "--target", "t", "--supported-ops", "add,nn.relu", "--dot", dot.toString(),
        "--dump-ir", dump.toString(), "--explain", "--json");
    assertEquals(0, r.code(), r.err());
    String text = Files.readString(dot);
    assertTrue(text.contains("subgraph cluster_t_0 {\n    label=\"t_0\";"), text);
    assertTrue(text.contains("subgraph cluster_t_2 {\n    label=\"t_2\";"), text);
    assertEquals(2, text.split("subgraph cluster_", -1).length - 1);
    assertTrue(Files.exists(dump.resolve("01_BindParams.relay")));
    assertTrue(Files.readString(dump.resolve("04_AnnotateTarget.relay")).contains("annotation.compiler_begin"));
    assertTrue(r.err().contains("%1 tanh -> default (t: target t does not support tanh)\n"), r.err());
  }

  @Test
  void unknownSupportedOpIsExit2OneLine() throws Exception {
    Path m = model(MODEL);
    Result r = run("partition", m.toString(), "--target", "t", "--supported-ops", "add,nn.bogus");
    assertEquals(2, r.code());
    assertEquals("kbyoc: error: unknown operator [nn.bogus] in the supported ops of target t\n", r.err());
  }

  @Test
  void moduleWithoutMainIsExit2() throws Exception {
    Path m = model("""
        #[version = "0.0.5"]
        def @f(%x: Tensor[(1, 4), float32]) -> Tensor[(1, 4), float32] {
          nn.relu(%x)
        }
        """);
    Result r = run("partition", m.toString());
    assertEquals(2, r.code());
    assertEquals("kbyoc: error: module has no @main function\n", r.err());
  }

  @Test
  void illTypedGraphIsExit2() throws Exception {
    Path m = model("""
        #[version = "0.0.5"]
        def @main(%x: Tensor[(1, 4), float32], %y: Tensor[(3, 5), float32]) {
          add(%x, %y)
        }
        """);
    Result r = run("partition", m.toString(), "--target", "t", "--supported-ops", "add");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("kbyoc: error: ") && r.err().contains("add"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void unknownTargetIsExit2() throws Exception {
    Path m = model(MODEL);
    Result r = run("partition", m.toString(), "--target", "nosuch");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("kbyoc: error: unknown target [nosuch]"), r.err());
  }

  @Test
  void kendryteIsTheDefaultTarget() throws Exception {
    Path m = model("""
        #[version = "0.0.5"]
        def @main(%x: Tensor[(1, 4, 8, 8), float32], %w: Tensor[(8, 4, 3, 3), float32]) {
          %0 = nn.conv2d(%x, %w, padding=[1, 1, 1, 1], channels=8, kernel_size=[3, 3]);
          exp(%0)
        }
        """);
    Path params = dir.resolve("w.params");
    ParamsFormat.write(params, Map.of("w", NDArray.zeros(dev.kbyoc.ir.DType.FLOAT32, 8, 4, 3, 3)));
    Result r = run("partition", m.toString(), "--params", params.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    assertEquals("{\"functions\": [{\"name\": \"kendryte_0\", \"compiler\": \"kendryte\", \"ops\": [\"%0\"], "
        + "\"params\": 1, \"outputs\": 1, \"constants\": 1}],\n \"host_ops\": [\"exp@4:3\"]}\n", r.out());
  }
}
