package dev.kbyoc.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Span;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.Interpreter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ops composed in a function: tuple results projected with TupleGetItem, tuples fed to concatenate. */
class SmallModelTest {

  @Test
  void convBatchNormReluPoolConcatDense() {
    Var x = new Var("x", TensorType.f32(1, 1, 4, 4));
    // 1x1 conv with weight 2 doubles the input; batch_norm with mean 2, var 4, eps 0 halves (x - 2)
    Expr conv = Call.op("nn.conv2d", List.of(x, new Constant(OpTester.f32(new int[] {1, 1, 1, 1}, 2))),
        Attrs.of("channels", 1, "kernel_size", List.of(1, 1)));
    Constant one = new Constant(OpTester.f32(new int[] {1}, 1));
    Constant zero = new Constant(OpTester.f32(new int[] {1}, 0));
    Expr bn = Call.op("nn.batch_norm", List.of(conv, one, zero, new Constant(OpTester.f32(new int[] {1}, 2)),
        new Constant(OpTester.f32(new int[] {1}, 4))), Attrs.of("epsilon", 0.0));
    Expr relu = Call.op("nn.relu", new TupleGetItem(bn, 0));
    Expr pool = Call.op("nn.max_pool2d", List.of(relu), Attrs.of("pool_size", List.of(2, 2), "strides", List.of(2, 2)));
    Expr avg = Call.op("nn.global_avg_pool2d", relu);
    Expr flat = Call.op("nn.batch_flatten", pool);
    Expr cat = Call.op("concatenate", List.of(new Tuple(List.of(flat, Call.op("nn.batch_flatten", avg)))),
        Attrs.of("axis", 1));
    Expr dense = Call.op("nn.dense", List.of(cat, new Constant(OpTester.f32(new int[] {1, 5}, 1, 1, 1, 1, -4))),
        Attrs.of("units", 1));
    IRModule m = IRModule.fromMain(new Function(List.of(x), dense));
    InferType.run(m);
    assertEquals(TensorType.f32(1, 5), cat.checkedType());
    assertEquals(TensorType.f32(1, 1), dense.checkedType());
    // x = 1..16: bn(2x) = (2x - 2) / 2 = x - 1 = 0..15, relu keeps it;
    // 2x2 max pools of 0..15 (4x4) = 5, 7, 13, 15; global mean = 7.5
    // dense: 5 + 7 + 13 + 15 - 4 * 7.5 = 10
    NDArray out = new Interpreter(m).run(Map.of("x", OpTester.iota(1, 1, 4, 4))).asTensor();
    assertEquals(10.0, out.getDouble(0), 1e-5);
  }

  @Test
  void typeErrorNamesTheBinding() {
    Var x = new Var("x", TensorType.f32(1, 3, 8, 8));
    Var w = new Var("w", TensorType.f32(16, 4, 3, 3));
    Call conv = new Call(dev.kbyoc.ir.Op.get("nn.conv2d"), List.of(x, w), Attrs.empty(),
        Span.at("model.relay", 3, 8).withBinding("%0"));
    KbyocException e = assertThrows(KbyocException.class,
        () -> InferType.run(IRModule.fromMain(new Function(List.of(x, w), conv))));
    assertTrue(e.getMessage().contains("%0"), e.getMessage());
    assertTrue(e.getMessage().contains("nn.conv2d"), e.getMessage());
    assertTrue(e.getMessage().contains("3 channels"), e.getMessage());
  }
}
