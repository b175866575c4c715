package dev.kbyoc.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.build.SampleModels;
import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.testing.HostRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SimplifyInference: batch norm with bound parameters becomes a per-channel multiply and add with
 * the reference's coefficients (the interpreter gives the same bits before and after), fuses into
 * the convolution's primitive function, and the graph runtime's fused epilogue gives the
 * interpreter's bits; what it must not touch stays.
 */
class SimplifyInferenceTest {
  private final Random rnd = new Random(7);

  private NDArray positive(int n) {
    NDArray a = SampleModels.random(rnd, n);
    float[] d = a.floatData();
    for (int i = 0; i < n; i++) {
      d[i] = Math.abs(d[i]) + 0.01f;
    }
    return a;
  }

  /** {@code act(bn(conv(x) + b)[0])} with constant weights and batch-norm parameters. */
  private IRModule convBn(String act, Attrs bnAttrs) {
    Var x = new Var("x", TensorType.f32(1, 3, 9, 10));
    Expr y = FuseOpsTest.conv(x, rnd, 3, 12);
    y = Call.op("nn.bias_add", List.of(y, new Constant(SampleModels.random(rnd, 12))), Attrs.empty());
    Call bn = Call.op("nn.batch_norm", List.of(y, new Constant(SampleModels.random(rnd, 12)),
        new Constant(SampleModels.random(rnd, 12)), new Constant(SampleModels.random(rnd, 12)), new Constant(positive(12))),
        bnAttrs);
    Expr out = new TupleGetItem(bn, 0);
    if (act.equals("clip")) {
      out = Call.op("clip", List.of(out), Attrs.of("a_min", 0.0, "a_max", 0.5));
    } else if (act.equals("relu")) {
      out = Call.op("nn.relu", out);
    }
    return InferType.run(IRModule.fromMain(new Function(List.of(x), out)));
  }

  private static List<String> ops(Expr body) {
    List<String> out = new ArrayList<>();
    for (Expr e : PostOrder.of(body)) {
      if (e instanceof Call c && c.op() instanceof Op op) {
        out.add(op.name());
      }
    }
    return out;
  }

  @Test
  void batchNormBecomesMultiplyAddWithTheSameBits() {
    for (Attrs a : List.of(Attrs.empty(), Attrs.of("center", false, "epsilon", 1e-3), Attrs.of("scale", false))) {
      IRModule m = convBn("relu", a);
      IRModule s = SimplifyInference.run(m);
      assertEquals(List.of("nn.conv2d", "nn.bias_add", "multiply", "add", "nn.relu"), ops(s.main().body()), a.toString());
      NDArray x = SampleModels.random(rnd, 1, 3, 9, 10);
      assertEquals(new Interpreter(m).runFlat(Map.of("x", x)), new Interpreter(s).runFlat(Map.of("x", x)), a.toString());
    }
  }

  @Test
  void builtGraphFusesTheNormIntoTheConvolutionAndMatchesTheInterpreterBitForBit() {
    for (String act : List.of("clip", "relu", "none")) {
      IRModule m = convBn(act, Attrs.empty());
      BuildResult r = RelayBuild.build(m, Map.of(), BuildOptions.DEFAULT);
      List<String> ops = new ArrayList<>();
      r.graph().nodes().stream().filter(n -> !n.isInput()).forEach(n -> ops.add(n.attrs().get("func_name")));
      String fused = "fused_nn_conv2d_nn_bias_add_multiply_add" + (act.equals("none") ? "" : act.equals("clip") ? "_clip" : "_nn_relu");
      assertEquals(List.of(fused), ops, act);
      for (int t = 0; t < 3; t++) {
        HostRun.assertSameAsInterpreter(m, r, Map.of("x", SampleModels.random(rnd, 1, 3, 9, 10)), act);
      }
    }
  }

  @Test
  void unboundParametersOtherOutputsAndExternalFunctionsStay() {
    Var x = new Var("x", TensorType.f32(1, 4, 3, 3));
    List<Var> params = new ArrayList<>(List.of(x));
    List<Expr> args = new ArrayList<>(List.of(x));
    for (String n : List.of("g", "b", "m", "v")) {
      Var p = new Var(n, TensorType.f32(4));
      params.add(p);
      args.add(p);
    }
    Call bn = Call.op("nn.batch_norm", args, Attrs.empty());
    IRModule unbound = InferType.run(IRModule.fromMain(new Function(params, new TupleGetItem(bn, 0))));
    assertSame(unbound, SimplifyInference.run(unbound));

    Call bound = Call.op("nn.batch_norm", List.of(x, new Constant(positive(4)), new Constant(positive(4)),
        new Constant(positive(4)), new Constant(positive(4))), Attrs.empty());
    IRModule mean = InferType.run(IRModule.fromMain(new Function(List.of(x), new TupleGetItem(bound, 1))));
    assertSame(mean, SimplifyInference.run(mean));

    IRModule ext = IRModule.fromMain(new Function(List.of(x), new TupleGetItem(bound, 0)))
        .with("kendryte_0", new Function(List.of(x), new TupleGetItem(bound, 0), null,
            Attrs.of(Function.ATTR_COMPILER, "kendryte"), null));
    IRModule out = SimplifyInference.run(InferType.run(ext));
    assertTrue(ops(out.get("kendryte_0").body()).contains("nn.batch_norm"));
    assertEquals(List.of("multiply", "add"), ops(out.main().body()));
  }

  @Test
  void dropoutBecomesItsInput() {
    Var x = new Var("x", TensorType.f32(2, 5));
    Expr d = new TupleGetItem(Call.op("nn.dropout", x), 0);
    IRModule m = InferType.run(IRModule.fromMain(new Function(List.of(x), Call.op("nn.relu", d))));
    assertEquals(List.of("nn.relu"), ops(SimplifyInference.run(m).main().body()));
  }
}
