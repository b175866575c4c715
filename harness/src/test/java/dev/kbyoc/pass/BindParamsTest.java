package dev.kbyoc.pass;

import static dev.kbyoc.pass.G.fn;
import static dev.kbyoc.pass.G.mod;
import static dev.kbyoc.pass.G.op;
import static dev.kbyoc.pass.G.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Var;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BindParamsTest {
  static final NDArray W = NDArray.of(new float[] {1, 2, 3}, 3);

  @Test
  void bindsByNameAndDropsTheParam() {
    Var x = v("x", 3);
    Var w = v("w", 3);
    IRModule m = mod(fn(List.of(x, w), op("add", x, w)));
    Function bound = BindParams.run(m, Map.of("w", W)).main();
    Var ex = v("x", 3);
    G.assertFnEq(fn(List.of(ex), op("add", ex, new Constant(W))), bound);
  }

  @Test
  void unknownNamesAreIgnoredButReported() {
    Var x = v("x", 3);
    IRModule m = mod(fn(List.of(x), op("nn.relu", x)));
    assertSame(m.main(), BindParams.run(m, Map.of("nope", W, "zz", W)).main());
    assertEquals(List.of("nope", "zz"), BindParams.unknownNames(m.main(), List.of("zz", "x", "nope")));
  }

  @Test
  void nameHeldByTwoParamsIsAnError() {
    Var a = v("w", 3);
    Var b = v("w", 3);
    IRModule m = mod(fn(List.of(a, b), op("add", a, b)));
    KbyocException e = assertThrows(KbyocException.class, () -> BindParams.run(m, Map.of("w", W)));
    assertEquals("multiple parameters of fn@? are named %w; cannot bind a param by that name", e.getMessage());
  }

  @Test
  void shapeMismatchIsAnErrorNamingTheParam() {
    Var w = v("w", 4);
    IRModule m = mod(fn(List.of(w), op("nn.relu", w)));
    KbyocException e = assertThrows(KbyocException.class, () -> BindParams.run(m, Map.of("w", W)));
    assertEquals("param %w has type Tensor[(3,), float32] but the model declares Tensor[(4,), float32]", e.getMessage());
  }

  @Test
  void moduleWithoutMainIsAnError() {
    Var x = v("x", 3);
    IRModule m = IRModule.of(Map.of("other", fn(List.of(x), x)));
    KbyocException e = assertThrows(KbyocException.class, () -> BindParams.run(m, Map.of("x", W)));
    assertEquals("module has no @main function", e.getMessage());
  }
}
