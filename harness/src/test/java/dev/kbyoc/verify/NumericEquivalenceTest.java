package dev.kbyoc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Faults;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Span;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * relu(x - c): the host build computes it through FuseOps, where fuse-wrong-order swaps the
 * operands; a host module one ulp off is caught by the host-only build's exact comparison.
 */
class NumericEquivalenceTest {
  private static GraphCase subtractCase() {
    Var x = new Var("x", TensorType.f32(1, 4));
    Constant c = new Constant(NDArray.of(new float[] {0.5f, -1, 2, 0}, 1, 4));
    Call sub = new Call(dev.kbyoc.ir.Op.get("subtract"), List.of(x, c), Attrs.empty(), Span.at("t", 1, 1));
    Call relu = new Call(dev.kbyoc.ir.Op.get("nn.relu"), List.of(sub), Attrs.empty(), Span.at("t", 2, 1));
    IRModule m = InferType.run(IRModule.fromMain(new Function(List.of(x), relu)));
    return new GraphCase(m, Map.of(), Map.of("x", NDArray.of(new float[] {1, 2, 3, 4}, 1, 4)), 1, GenOptions.DEFAULT);
  }

  @Test
  void correctBuildsMatchTheInterpreter() {
    Verdict v = new NumericEquivalence().check(new CaseRun(subtractCase(), Toolchains.standard()));
    assertTrue(v.passed(), v.toString());
  }

  @Test
  void swappedOperandsInHostFusionAreCaught() {
    try (Faults.Scope s = Faults.inject(Set.of(Faults.Fault.FUSE_WRONG_ORDER))) {
      CaseRun run = new CaseRun(subtractCase(), Toolchains.standard());
      Verdict v = new NumericEquivalence().check(run);
      assertEquals("host-only:out-of-tolerance", v.kind(), v.toString());
      // relu(x - c) = [0.5, 3, 1, 4]; swapped, relu(c - x) = [0, 0, 0, 0].
      assertEquals(NDArray.of(new float[] {0.5f, 3, 1, 4}, 1, 4), run.engineOutputs().get("interpreter").get(0));
      assertEquals(NDArray.of(new float[] {0, 0, 0, 0}, 1, 4), run.engineOutputs().get("graph-host-only").get(0));
    }
  }

  /** A host module whose every float output is one ulp above what the wrapped module computes. */
  private record OneUlpHigh(dev.kbyoc.runtime.RuntimeModule inner) implements dev.kbyoc.runtime.RuntimeModule {
    @Override
    public String typeKey() {
      return inner.typeKey();
    }

    @Override
    public List<String> symbols() {
      return inner.symbols();
    }

    @Override
    public byte[] serialize() {
      return inner.serialize();
    }

    @Override
    public List<String> constVars() {
      return inner.constVars();
    }

    @Override
    public void init(Map<String, NDArray> constants) {
      inner.init(constants);
    }

    @Override
    public List<NDArray> run(String symbol, List<NDArray> inputs) {
      List<NDArray> out = inner.run(symbol, inputs);
      for (NDArray a : out) {
        float[] d = a.floatData();
        for (int i = 0; i < d.length; i++) {
          d[i] = Math.nextUp(d[i]);
        }
      }
      return out;
    }
  }

  /**
   * The fault the exact host-only policy exists for: a host kernel that is off by one ulp (a sum
   * in another order, an epilogue step moved) stays inside float-tight, so only bit-exactness
   * against the interpreter catches it.
   */
  @Test
  void aHostKernelOneUlpOffIsCaughtThoughFloatTightWouldPassIt() {
    Toolchain standard = Toolchains.standard();
    Toolchain offByOneUlp = new Toolchain() {
      @Override
      public IRModule bind(GraphCase c) {
        return standard.bind(c);
      }

      @Override
      public IRModule merge(IRModule bound, String target) {
        return standard.merge(bound, target);
      }

      @Override
      public IRModule partition(IRModule merged) {
        return standard.partition(merged);
      }

      @Override
      public dev.kbyoc.build.BuildResult build(IRModule module) {
        dev.kbyoc.build.BuildResult b = standard.build(module);
        List<dev.kbyoc.runtime.RuntimeModule> mods = b.modules().stream()
            .map(m -> m instanceof dev.kbyoc.runtime.HostModule ? new OneUlpHigh(m) : m).toList();
        return new dev.kbyoc.build.BuildResult(b.graph(), b.params(), mods, b.warnings());
      }

      @Override
      public SupportRule support() {
        return standard.support();
      }
    };
    CaseRun run = new CaseRun(subtractCase(), offByOneUlp);
    Verdict v = new NumericEquivalence().check(run);
    assertEquals("host-only:out-of-tolerance", v.kind(), v.toString());
    List<NDArray> host = run.engineOutputs().get("graph-host-only");
    assertEquals(null, TolerancePolicy.FLOAT_TIGHT.compare("interpreter", run.reference(), "host-only", host));
    assertTrue(new NumericEquivalence().check(new CaseRun(subtractCase(), standard)).passed());
  }

  /** The built-in CNN: float kmodels pass float-tight; uint8 kmodels are held to the uint8 policy. */
  @Test
  void policyFollowsTheKmodelsQuantizeMode() {
    IRModule cnn = dev.kbyoc.build.SampleModels.cnnUnpartitioned(4);
    NDArray x = dev.kbyoc.build.SampleModels.random(new java.util.Random(9), 1, 3, 16, 16);
    GraphCase c = new GraphCase(cnn, Map.of(), Map.of("data", x), 1, GenOptions.DEFAULT);
    CaseRun f = new CaseRun(c, Toolchains.standard());
    assertTrue(new NumericEquivalence().check(f).passed());
    assertTrue(!NumericEquivalence.hasUint8Kmodel(f.builtPartitioned()));
    CaseRun q = new CaseRun(c, Toolchains.standard(dev.kbyoc.build.BuildOptions.DEFAULT.withQuantize("uint8")));
    assertTrue(NumericEquivalence.hasUint8Kmodel(q.builtPartitioned()));
    Verdict v = new NumericEquivalence().check(q);
    assertTrue(v.passed(), v.toString());
    List<NDArray> out = q.engineOutputs().get("graph-partitioned");
    // uint8 is not float-tight: the same outputs fail the float policy, pass the uint8 one.
    assertTrue(TolerancePolicy.FLOAT_TIGHT.compare("interpreter", q.reference(), "uint8", out) != null);
    NDArray ref = q.reference().get(0);
    NDArray off = NDArray.zeros(ref.dtype(), ref.shape());
    for (int i = 0; i < off.size(); i++) {
      off.setDouble(i, ref.getDouble(i) + (i == 3 ? 0.5 : 0));
    }
    // an element off by half the output range breaks the 16-step bound (range / 255 per step)
    assertEquals("out-of-tolerance", NumericEquivalence.uint8Compare(List.of(ref), List.of(off))[0]);
  }
}
