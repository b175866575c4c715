package dev.kbyoc.verify.bench;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import dev.kbyoc.kendryte.codegen.KendryteCodegen;
import dev.kbyoc.kendryte.codegen.QuantizeMode;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.sim.KmodelSimulator;
import dev.kbyoc.kendryte.sim.SimMode;
import dev.kbyoc.pass.InferType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The uint8 KPU simulator's MAC rate on one thread: a three-layer KPU CNN (3x3 conv 16->64, 3x3
 * conv 64->64, 1x1 conv 64->64, each with bias and ReLU, on a 64x64 map) is compiled to a kmodel
 * and run by {@link KmodelSimulator} in {@link SimMode#UINT8}; the MACs are the layers' own
 * reports, the time is the whole run (KPU RAM layout, batchnorm, activation, output copy included).
 */
public final class SimulatorBench implements BenchSection {
  /** The target: at least 1 GMAC/s on one core. */
  public static final double GOAL_GMACS = 1.0;

  @Override
  public String name() {
    return "simulator";
  }

  @Override
  public List<Figure> run(BenchOptions o) throws Exception {
    int size = o.quick() ? 16 : 64;
    SplittableRandom r = new SplittableRandom(0x4B50_5531L);
    Function fn = model(r, size);
    List<NDArray> calib = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calib.add(input(r, size));
    }
    Kmodel km = KendryteCodegen.compile(fn, "bench", calib, QuantizeMode.UINT8);
    KmodelSimulator sim = new KmodelSimulator("bench", km, SimMode.UINT8);
    NDArray x = input(r, size);
    long macs = 0;
    for (KmodelSimulator.LayerReport l : sim.run(x).layers()) {
      macs += l.macs();
    }
    double ms = Timing.medianMillis(() -> sim.run(x), o.warmup(), o.repeats());
    double gmacs = macs / (ms * 1e6);
    return List.of(
        Figure.info(name(), "MACs per run", macs, "MAC"),
        Figure.info(name(), "time per run", ms, "ms"),
        new Figure(name(), "uint8 MAC rate (1 thread)", gmacs, "GMAC/s", GOAL_GMACS, false));
  }

  private static Constant rand(SplittableRandom r, double scale, int... shape) {
    NDArray a = NDArray.zeros(DType.FLOAT32, shape);
    float[] d = a.floatData();
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) r.nextDouble(-scale, scale);
    }
    return new Constant(a);
  }

  private static Expr block(SplittableRandom r, Expr x, int in, int out, int k) {
    Attrs pad = k == 3 ? Attrs.of("padding", List.of(1L, 1L)) : Attrs.empty();
    double s = 1.5 / Math.sqrt(in * k * k);
    Expr e = Call.op("nn.conv2d", List.of(x, rand(r, s, out, in, k, k)), pad);
    e = Call.op("nn.bias_add", List.of(e, rand(r, 0.1, out)), Attrs.empty());
    return Call.op("nn.relu", e);
  }

  static Function model(SplittableRandom r, int size) {
    Var x = new Var("x", TensorType.f32(1, 16, size, size));
    Expr e = block(r, x, 16, 64, 3);
    e = block(r, e, 64, 64, 3);
    e = block(r, e, 64, 64, 1);
    return InferType.run(IRModule.fromMain(new Function(List.of(x), e))).main();
  }

  private static NDArray input(SplittableRandom r, int size) {
    NDArray a = NDArray.zeros(DType.FLOAT32, 1, 16, size, size);
    float[] d = a.floatData();
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) r.nextDouble(-1, 1);
    }
    return a;
  }
}
