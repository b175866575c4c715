package dev.kbyoc.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.Interpreter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;
import java.util.IdentityHashMap;
import org.junit.jupiter.api.Test;

class PostOrderTest {

  /** A lattice of {@code width x depth} diamonds: each level adds neighbours of the level below. */
  static Expr lattice(Var x, int width, int depth) {
    Expr[] level = new Expr[width];
    for (int i = 0; i < width; i++) {
      level[i] = Call.op("nn.relu", x);
    }
    for (int d = 1; d < depth; d++) {
      Expr[] next = new Expr[width];
      for (int i = 0; i < width; i++) {
        next[i] = Call.op("add", level[i], level[(i + 1) % width]);
      }
      level = next;
    }
    Expr out = level[0];
    for (int i = 1; i < width; i++) {
      out = Call.op("add", out, level[i]);
    }
    return out;
  }

  @Test
  void deepChainDoesNotOverflowAndEvaluates() {
    Var x = new Var("x", TensorType.f32(2));
    Expr e = x;
    for (int i = 0; i < 100_000; i++) {
      e = Call.op("nn.relu", e);
    }
    Function f = new Function(List.of(x), e);
    IRModule m = IRModule.fromMain(f);
    InferType.run(m);
    assertEquals(TensorType.f32(2), e.checkedType());
    NDArray out = new Interpreter(m).run(Map.of("x", NDArray.of(new float[] {-1f, 2f}, 2))).asTensor();
    assertEquals(0f, out.floatData()[0]);
    assertEquals(2f, out.floatData()[1]);
    assertEquals(100_002, PostOrder.of(f).size());
  }

  @Test
  void latticeVisitsEachNodeOnce() {
    Var x = new Var("x", TensorType.f32(1));
    Expr root = lattice(x, 4, 5_000);
    Set<Expr> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    int[] visits = {0};
    new ExprVisitor() {
      @Override
      protected void visitCall(Call call) {
        visits[0]++;
        assertTrue(seen.add(call), () -> "visited twice: " + call.describe());
      }
    }.visit(root);
    assertEquals(4 + 4 * 4_999 + 3, visits[0]);
    // 2^5000 paths: evaluation must be memoised to finish at all
    IRModule m = IRModule.fromMain(new Function(List.of(x), root));
    NDArray out = new Interpreter(m).run(Map.of("x", NDArray.of(new float[] {0f}, 1))).asTensor();
    assertEquals(0f, out.floatData()[0]);
  }

  @Test
  void mutatorKeepsSharingAndIdentityWhenUnchanged() {
    Var x = new Var("x", TensorType.f32(1));
    Expr shared = Call.op("nn.relu", x);
    Expr root = Call.op("add", shared, shared);
    assertSame(root, new ExprMutator() {}.mutate(root));
    Expr renamed = new ExprMutator() {
      @Override
      protected Expr rewriteVar(Var v) {
        return new Var("y", v.typeAnnotation());
      }
    }.mutate(root);
    Call c = (Call) renamed;
    assertSame(c.arg(0), c.arg(1));
    assertTrue(StructuralEqual.equal(root, renamed));
    assertEquals(StructuralHash.hash(root), StructuralHash.hash(renamed));
  }
}
