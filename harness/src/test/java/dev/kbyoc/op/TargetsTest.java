package dev.kbyoc.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetsTest {
  static TargetLibrary lib(int priority, Target... ts) {
    return new TargetLibrary() {
      @Override
      public Collection<Target> targets() {
        return List.of(ts);
      }

      @Override
      public int priority() {
        return priority;
      }
    };
  }

  @Test
  void higherPriorityReplacesASameNamedTarget() {
    Target ops = Target.ofOps("kendryte", List.of("add"));
    Target rules = Target.ofOps("kendryte", List.of("nn.relu"));
    Target other = Target.ofOps("other", List.of("add"));
    Map<String, Target> m = Targets.resolve(List.of(lib(10, rules), lib(0, ops, other)));
    assertSame(rules, m.get("kendryte"));
    assertSame(other, m.get("other"));
    assertSame(rules, Targets.resolve(List.of(lib(0, ops), lib(10, rules))).get("kendryte"));
  }

  @Test
  void samePriorityTwiceIsABug() {
    Target a = Target.ofOps("t", List.of("add"));
    assertThrows(IllegalStateException.class, () -> Targets.resolve(List.of(lib(0, a), lib(0, a))));
  }

  @Test
  void builtinKendryteExistsAndUnknownTargetNamesTheKnownOnes() {
    assertTrue(Targets.exists("kendryte"));
    KbyocException e = assertThrows(KbyocException.class, () -> Targets.get("nope"));
    assertTrue(e.getMessage().startsWith("unknown target [nope]; built-in targets: ["), e.getMessage());
  }

  @Test
  void unlistedOpIsRefusedWithAReason() {
    Target t = Target.ofOps("t", List.of("add"));
    Var x = new Var("x", TensorType.f32(2));
    Support s = t.check(Call.op("nn.relu", x));
    assertEquals("target t does not support nn.relu", s.reason());
    assertTrue(t.check(Call.op("add", x, x)).supported());
    assertThrows(KbyocException.class, () -> Target.builder("default"));
  }
}
