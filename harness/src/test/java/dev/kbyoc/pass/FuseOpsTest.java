package dev.kbyoc.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.kbyoc.ir.Var;
import dev.kbyoc.runtime.Interpreter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** FuseOps groups by TVM's pattern rules and preserves semantics. */
class FuseOpsTest {

  /** The op names of each primitive function called from main, in call order. */
  static List<List<String>> groups(IRModule m) {
    List<List<String>> out = new ArrayList<>();
    for (Expr e : DataflowOrder.of(m.main().body())) {
      if (e instanceof Call c && c.op() instanceof Function f) {
        assertTrue(f.isPrimitive());
        List<String> ops = new ArrayList<>();
        for (Expr x : PostOrder.of(f.body())) {
          if (x instanceof Call cc && cc.op() instanceof Op op) {
            ops.add(op.name());
          }
        }
        out.add(ops);
      }
    }
    return out;
  }

  static Expr conv(Expr x, Random rnd, int cin, int cout) {
    return Call.op("nn.conv2d", List.of(x, new Constant(SampleModels.random(rnd, cout, cin, 3, 3))),
        Attrs.of("padding", new int[] {1, 1}));
  }

  @Test
  void convBiasReluFuseIntoOneAnchorGroup() {
    Random rnd = new Random(1);
    Var x = new Var("x", TensorType.f32(1, 2, 6, 6));
    Expr y = Call.op("nn.relu", Call.op("nn.bias_add", List.of(conv(x, rnd, 2, 4), new Constant(SampleModels.random(rnd, 4))), Attrs.empty()));
    Expr z = Call.op("nn.max_pool2d", List.of(y), Attrs.of("pool_size", new int[] {2, 2}));
    IRModule m = IRModule.fromMain(new Function(List.of(x), z));
    IRModule f = FuseOps.run(m);
    assertEquals(List.of(List.of("nn.conv2d", "nn.bias_add", "nn.relu"), List.of("nn.max_pool2d")), groups(f));
    sameResults(m, f, Map.of("x", SampleModels.random(rnd, 1, 2, 6, 6)));
    // Non-scalar constants become arguments (graph params), named p0, p1 inside.
    Call first = (Call) DataflowOrder.of(f.main().body()).stream().filter(e -> e instanceof Call c && c.op() instanceof Function).findFirst().get();
    assertEquals(3, first.args().size());
    assertEquals(List.of("p0", "p1", "p2"), ((Function) first.op()).params().stream().map(Var::name).toList());
  }

  @Test
  void twoAnchorsNeverShareAGroupAndInjectiveDoesNotFuseIntoConv() {
    Random rnd = new Random(2);
    Var x = new Var("x", TensorType.f32(1, 2, 4, 4));
    Expr a = conv(x, rnd, 2, 2);
    Expr b = conv(Call.op("nn.relu", x), rnd, 2, 2);
    Expr s = Call.op("add", a, b);
    Expr r = Call.op("nn.batch_flatten", s);
    IRModule m = IRModule.fromMain(new Function(List.of(x), r));
    IRModule f = FuseOps.run(m);
    // The first conv joins add's group; the second conv is a second anchor and stays alone; relu
    // feeds an anchor and stays alone; batch_flatten (injective) does not join an anchor group.
    assertEquals(List.of(List.of("nn.relu"), List.of("nn.conv2d"), List.of("nn.conv2d", "add"),
        List.of("nn.batch_flatten")), groups(f));
    sameResults(m, f, Map.of("x", SampleModels.random(rnd, 1, 2, 4, 4)));
  }

  @Test
  void multiUseProducerStaysSeparateAndScalarConstantStaysInside() {
    Var x = new Var("x", TensorType.f32(3));
    Expr r = Call.op("nn.relu", x);
    Expr s = Call.op("add", r, new Constant(NDArray.scalar(2f)));
    Expr t = Call.op("add", s, r);
    IRModule m = IRModule.fromMain(new Function(List.of(x), t));
    IRModule f = FuseOps.run(m);
    assertEquals(List.of(List.of("nn.relu"), List.of("add", "add")), groups(f));
    Call second = (Call) f.main().body();
    // relu(x) is passed once although both adds read it; the scalar 2.0 stays inside.
    assertEquals(1, second.args().size());
    sameResults(m, f, Map.of("x", NDArray.of(new float[] {-1, 0.5f, 3}, 3)));
  }

  @Test
  void externalFunctionsAreLeftAlone() {
    IRModule m = SampleModels.twoRegions("kendryte", 4, 1, 1);
    IRModule f = FuseOps.run(m);
    assertSame(m.get("kendryte_0"), f.get("kendryte_0"));
    assertEquals(List.of(List.of("add", "nn.relu"), List.of("add")), groups(f));
  }

  static void sameResults(IRModule a, IRModule b, Map<String, NDArray> in) {
    assertEquals(new Interpreter(a).runFlat(in), new Interpreter(b).runFlat(in));
  }
}
