package dev.kbyoc.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.Var;
import dev.kbyoc.runtime.GraphRuntime;
import dev.kbyoc.runtime.Interpreter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Storage reuse is sound: on random DAGs of host ops with fan-out (so values stay live across
 * many kernels) and mixed sizes, the graph runtime, whose entries alias by storage id, gives the
 * interpreter's results bit for bit, and storage is actually reused.
 */
class StoragePlanSoundnessTest {

  @Test
  void randomDagsRunBitIdenticalWithSharedStorage() {
    int reusing = 0;
    for (long seed = 0; seed < 40; seed++) {
      Random rnd = new Random(seed);
      Var x = new Var("x", TensorType.f32(4, 8));
      List<Expr> pool = new ArrayList<>(List.of(x));
      int n = 8 + rnd.nextInt(20);
      for (int i = 0; i < n; i++) {
        Expr a = pool.get(Math.max(0, pool.size() - 1 - rnd.nextInt(3)));
        Expr b = pool.get(rnd.nextInt(pool.size()));
        Expr e = switch (rnd.nextInt(4)) {
          case 0 -> Call.op("add", a, b);
          case 1 -> Call.op("nn.relu", a);
          case 2 -> Call.op("multiply", a, new Constant(SampleModels.random(rnd, 1, 8)));
          default -> Call.op("subtract", a, b);
        };
        pool.add(e);
      }
      List<Expr> outs = List.of(pool.get(pool.size() - 1), pool.get(1 + rnd.nextInt(pool.size() - 1)));
      IRModule m = IRModule.fromMain(new Function(List.of(x), new Tuple(outs)));
      NDArray in = SampleModels.random(rnd, 4, 8);
      List<NDArray> want = new Interpreter(m).runFlat(Map.of("x", in));
      BuildResult r = RelayBuild.build(m, Map.of(), BuildOptions.DEFAULT);
      GraphRuntime rt = new GraphRuntime(r.graph(), r.modules(), w -> { });
      rt.loadParams(r.params());
      rt.setInput("x", in);
      rt.run();
      for (int i = 0; i < want.size(); i++) {
        assertEquals(want.get(i), rt.getOutput(i), "seed " + seed + " output " + i);
      }
      long distinct = Arrays.stream(r.graph().storageIds()).distinct().count();
      if (distinct < r.graph().storageIds().length) {
        reusing++;
      }
    }
    assertTrue(reusing >= 20, "storage reused in only " + reusing + " of 40 graphs");
  }
}
