package dev.kbyoc.runtime;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.TupleType;
import dev.kbyoc.ir.Type;
import dev.kbyoc.op.Types;
import dev.kbyoc.op.Window2d;
import dev.kbyoc.runtime.kernels.Conv2dF32;
import dev.kbyoc.runtime.kernels.Epilogue;
import dev.kbyoc.runtime.kernels.FastKernels;
import dev.kbyoc.runtime.kernels.FloatOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link FloatProgram} from a function already checked to be all float32: assigns slots
 * (inputs, outputs, then one array per intermediate and constant), writes each output-producing
 * call straight into its output slot, fuses bias and activation into convolution and dense
 * layers (and a per-channel multiply and add, batch norm after {@code SimplifyInference}, into
 * convolutions), and picks a step per op ({@link FloatSteps}), the generic step for ops without one.
 */
final class FloatProgramCompiler {
  private static final Set<String> RESHAPES = Set.of("reshape", "nn.batch_flatten", "squeeze", "expand_dims");
  private static final Map<String, Integer> BINARY = Map.of("add", FloatOps.ADD, "subtract", FloatOps.SUBTRACT,
      "multiply", FloatOps.MULTIPLY, "divide", FloatOps.DIVIDE);

  private final Function f;
  private final List<Expr> order;
  private final List<TensorType> slotTypes = new ArrayList<>();
  private final List<float[]> slotData = new ArrayList<>();
  private final Map<Expr, int[]> val = new IdentityHashMap<>();
  private final Map<Expr, int[]> preset = new IdentityHashMap<>();
  private final Set<Expr> absorbed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<FloatSteps.Step> steps = new ArrayList<>();
  private Map<Expr, List<Expr>> users;

  FloatProgramCompiler(Function f, List<Expr> order) {
    this.f = f;
    this.order = order;
  }

  FloatProgram compile() {
    List<TensorType> outTypes = flat(f.body().checkedType());
    List<Expr> outputs = new ArrayList<>();
    List<Integer> outField = new ArrayList<>();
    if (f.body() instanceof Tuple t) {
      for (Expr e : t.fields()) {
        if (!(e.checkedType() instanceof TensorType)) {
          return null;
        }
        outputs.add(e);
        outField.add(0);
      }
    } else {
      for (int j = 0; j < outTypes.size(); j++) {
        outputs.add(f.body());
        outField.add(j);
      }
    }
    users = FloatProgram.users(order, outputs);
    for (var p : f.params()) {
      val.put(p, new int[] {slot((TensorType) p.checkedType(), null)});
    }
    int firstOut = slotTypes.size();
    for (TensorType t : outTypes) {
      slot(t, null);
    }
    for (int j = 0; j < outputs.size(); j++) {
      Expr o = outputs.get(j);
      int field = outField.get(j);
      if (o instanceof TupleGetItem g && g.tuple() instanceof Call) {
        field = g.index();
        o = g.tuple();
      }
      if (o instanceof Call) {
        int[] ps = preset.computeIfAbsent(o, e -> filled(flat(e.checkedType()).size()));
        if (ps[field] < 0) {
          ps[field] = firstOut + j;
        }
      }
    }
    for (Expr e : order) {
      if (e instanceof Constant c) {
        NDArray d = c.data();
        float[] data = d.floatData().clone();
        val.put(e, new int[] {slot(d.type(), data)});
      }
    }
    for (Expr e : order) {
      if (val.containsKey(e) || absorbed.contains(e)) {
        continue;
      }
      if (e instanceof Tuple t) {
        int[] s = new int[0];
        for (Expr x : t.fields()) {
          int[] fs = val.get(x);
          s = Arrays.copyOf(s, s.length + fs.length);
          System.arraycopy(fs, 0, s, s.length - fs.length, fs.length);
        }
        val.put(e, s);
      } else if (e instanceof TupleGetItem g) {
        val.put(e, new int[] {val.get(g.tuple())[g.index()]});
      } else if (e instanceof Call c && c.op() instanceof Op op) {
        call(c, op.name());
      } else {
        return null;
      }
    }
    for (int j = 0; j < outputs.size(); j++) {
      int src = val.get(outputs.get(j))[outField.get(j)];
      if (src != firstOut + j) {
        steps.add(new FloatSteps.Copy((int) outTypes.get(j).size(), src, firstOut + j));
      }
    }
    float[][] buf = new float[slotTypes.size()][];
    for (int s = 0; s < buf.length; s++) {
      buf[s] = slotData.get(s);
    }
    return new FloatProgram(f.params().size(), outTypes.size(), buf, steps);
  }

  private static int[] filled(int n) {
    int[] a = new int[n];
    Arrays.fill(a, -1);
    return a;
  }

  /** The tensors of a tensor or tuple type, in order. */
  static List<TensorType> flat(Type t) {
    if (t instanceof TensorType tt) {
      return List.of(tt);
    }
    List<TensorType> out = new ArrayList<>();
    for (Type x : ((TupleType) t).fields()) {
      out.add((TensorType) x);
    }
    return out;
  }

  /** A new slot; {@code data} null means: filled per run (inputs, outputs) or allocated by {@link #out}. */
  private int slot(TensorType t, float[] data) {
    slotTypes.add(t);
    slotData.add(data);
    return slotTypes.size() - 1;
  }

  /** The output slots of {@code e}: preset output slots where given, fresh intermediates elsewhere. */
  private int[] out(Expr e) {
    List<TensorType> ts = flat(e.checkedType());
    int[] s = preset.getOrDefault(e, filled(ts.size())).clone();
    for (int i = 0; i < s.length; i++) {
      if (s[i] < 0) {
        s[i] = slot(ts.get(i), new float[(int) ts.get(i).size()]);
      }
    }
    val.put(e, s);
    return s;
  }

  private int in(Expr e) {
    return val.get(e)[0];
  }

  private static int[] shape(Expr e) {
    return ((TensorType) e.checkedType()).shape();
  }

  /** The only user of {@code e} if it is a call to {@code opName}, else null. */
  private Call soleUser(Expr e, String... opNames) {
    List<Expr> us = users.get(e);
    if (us.size() == 1 && us.get(0) instanceof Call c && c.op() instanceof Op op && Arrays.asList(opNames).contains(op.name())) {
      return c;
    }
    return null;
  }

  /** Absorbs a sole {@code nn.relu} / {@code clip} user of {@code e}; returns the act and sets {@code last[0]}. */
  private FloatSteps.Act activation(Expr e, Expr[] last) {
    Call a = soleUser(e, "nn.relu", "clip");
    if (a == null) {
      return FloatSteps.Act.NONE;
    }
    absorbed.add(a);
    last[0] = a;
    if (a.isOp("nn.relu")) {
      return new FloatSteps.Act(Epilogue.RELU, 0, 0);
    }
    Attrs at = a.fullAttrs();
    return new FloatSteps.Act(Epilogue.CLIP, (float) at.getDouble("a_min"), (float) at.getDouble("a_max"));
  }

  /** Absorbs a sole {@code nn.bias_add} user along {@code channelAxis} with a leaf bias; returns the bias slot or -1. */
  private int bias(Expr e, int channelAxis, Expr[] last) {
    Call b = soleUser(e, "nn.bias_add");
    if (b == null || b.arg(0) != e || !FloatProgram.isLeaf(b.arg(1))) {
      return -1;
    }
    int rank = shape(e).length;
    if (Types.axis(b.fullAttrs().getInt("axis"), rank) != channelAxis) {
      return -1;
    }
    absorbed.add(b);
    last[0] = b;
    return in(b.arg(1));
  }

  /**
   * Absorbs a sole {@code opName} user of the NCHW tensor {@code last[0]} whose other operand is a
   * leaf holding one value per channel (shape {@code [C, 1, 1]} or {@code [1, C, 1, 1]}, as
   * {@code SimplifyInference} writes batch norm); returns that operand's slot or -1.
   */
  private int channelOperand(Expr[] last, String opName) {
    Expr e = last[0];
    Call u = soleUser(e, opName);
    if (u == null || u.args().size() != 2) {
      return -1;
    }
    Expr other = u.arg(0) == e ? u.arg(1) : u.arg(0);
    if (other == e || !FloatProgram.isLeaf(other) || !java.util.Arrays.equals(shape(u), shape(e))) {
      return -1;
    }
    int[] os = shape(other);
    int[] ys = shape(e);
    if (ys.length != 4 || os.length < 3 || os.length > 4 || os[os.length - 3] != ys[1] || os[os.length - 2] != 1
        || os[os.length - 1] != 1 || (os.length == 4 && os[0] != 1)) {
      return -1;
    }
    absorbed.add(u);
    last[0] = u;
    return in(other);
  }

  /**
   * Absorbs a sole {@code add} user of {@code last[0]} whose other operand has exactly its shape
   * (a skip connection) and is already computed; returns that operand's slot or -1. Only for
   * convolutions whose output rows all fit register tiles ({@code tiled}): the single-row kernels
   * take no residual.
   */
  private int residual(Expr[] last, boolean tiled) {
    Expr e = last[0];
    Call u = soleUser(e, "add");
    if (!tiled || u == null || u.args().size() != 2) {
      return -1;
    }
    Expr other = u.arg(0) == e ? u.arg(1) : u.arg(0);
    if (other == e || !val.containsKey(other) || !Arrays.equals(shape(other), shape(e)) || !Arrays.equals(shape(u), shape(e))) {
      return -1;
    }
    absorbed.add(u);
    last[0] = u;
    return in(other);
  }

  private void call(Call c, String name) {
    Attrs at = c.fullAttrs();
    Expr[] last = {c};
    if (name.equals("nn.conv2d") && at.getString("data_layout").equals("NCHW") && at.getString("kernel_layout").equals("OIHW")) {
      int bias = bias(c, 1, last);
      int scale = channelOperand(last, "multiply");
      int shift = channelOperand(last, "add");
      int residual = residual(last, at.getInt("groups") == 1 && shape(c)[1] % 4 == 0);
      FloatSteps.Act act = activation(last[0], last);
      Conv2dF32 plan = FastKernels.conv(shape(c.arg(0)), shape(c.arg(1)), shape(c), at);
      steps.add(new FloatSteps.Conv(plan, in(c.arg(0)), in(c.arg(1)), bias, scale, shift, residual, act, out(last[0])[0],
          plan.newScratch()));
    } else if (name.equals("nn.dense")) {
      int[] ws = shape(c.arg(1));
      int bias = bias(c, shape(c).length - 1, last);
      FloatSteps.Act act = activation(last[0], last);
      int rows = (int) (((TensorType) c.arg(0).checkedType()).size() / ws[1]);
      steps.add(new FloatSteps.Dense(rows, ws[1], ws[0], in(c.arg(0)), in(c.arg(1)), bias, act, out(last[0])[0]));
    } else if (name.equals("nn.bias_add")) {
      int[] around = Types.aroundAxis(shape(c), Types.axis(at.getInt("axis"), shape(c).length));
      FloatSteps.Act act = activation(c, last);
      steps.add(new FloatSteps.BiasAdd(around, in(c.arg(0)), in(c.arg(1)), act, out(last[0])[0]));
    } else if (name.equals("nn.relu") || name.equals("clip")) {
      FloatSteps.Act act = name.equals("nn.relu") ? new FloatSteps.Act(Epilogue.RELU, 0, 0)
          : new FloatSteps.Act(Epilogue.CLIP, (float) at.getDouble("a_min"), (float) at.getDouble("a_max"));
      steps.add(new FloatSteps.Activation((int) ((TensorType) c.checkedType()).size(), in(c.arg(0)), act, out(c)[0]));
    } else if (name.equals("nn.batch_norm")) {
      int[] xs = shape(c.arg(0));
      int[] around = Types.aroundAxis(xs, Types.axis(at.getInt("axis"), xs.length));
      int[] o = out(c);
      steps.add(new FloatSteps.BatchNormStep(around, at, in(c.arg(0)),
          new int[] {in(c.arg(1)), in(c.arg(2)), in(c.arg(3)), in(c.arg(4))}, o[0], o[1], o[2]));
    } else if (BINARY.containsKey(name)) {
      steps.add(new FloatSteps.Binary(BINARY.get(name), shape(c.arg(0)), in(c.arg(0)), shape(c.arg(1)), in(c.arg(1)),
          shape(c), out(c)[0]));
    } else if (name.equals("nn.global_avg_pool2d") && at.getString("layout").equals("NCHW")) {
      int[] xs = shape(c.arg(0));
      steps.add(new FloatSteps.GlobalAvgPool(xs[0] * xs[1], xs[2] * xs[3], in(c.arg(0)), out(c)[0]));
    } else if ((name.equals("nn.max_pool2d") || name.equals("nn.avg_pool2d")) && at.getString("layout").equals("NCHW")) {
      boolean avg = name.equals("nn.avg_pool2d");
      steps.add(new FloatSteps.Pool(shape(c.arg(0)), shape(c), at.getInts("pool_size"), at.getInts("strides"),
          at.getInts("dilation"), Window2d.padding(at), avg, avg && at.getBool("count_include_pad"), in(c.arg(0)), out(c)[0]));
    } else if (RESHAPES.contains(name)) {
      steps.add(new FloatSteps.Copy((int) ((TensorType) c.checkedType()).size(), in(c.arg(0)), out(c)[0]));
    } else if (!gather(c)) {
      generic(c, name, at);
    }
  }

  /** A pure data-movement call as a {@link FloatSteps.Gather}; false if {@link GatherMap} declines it. */
  private boolean gather(Call c) {
    int[] map = GatherMap.of(c);
    if (map == null) {
      return false;
    }
    List<Integer> slots = new ArrayList<>();
    List<Integer> offsets = new ArrayList<>();
    int at = 0;
    for (Expr a : c.args()) {
      int[] s = val.get(a);
      List<TensorType> ts = flat(a.checkedType());
      for (int i = 0; i < ts.size(); i++) {
        slots.add(s[i]);
        offsets.add(at);
        at += (int) ts.get(i).size();
      }
    }
    steps.add(new FloatSteps.Gather(slots.stream().mapToInt(Integer::intValue).toArray(),
        offsets.stream().mapToInt(Integer::intValue).toArray(), map, out(c)[0]));
    return true;
  }

  private void generic(Call c, String name, Attrs at) {
    int n = c.args().size();
    int[][] slots = new int[n][];
    TensorType[][] types = new TensorType[n][];
    boolean[] tuple = new boolean[n];
    for (int i = 0; i < n; i++) {
      Expr a = c.arg(i);
      slots[i] = val.get(a);
      types[i] = flat(a.checkedType()).toArray(new TensorType[0]);
      tuple[i] = a.checkedType() instanceof TupleType;
    }
    steps.add(new FloatSteps.Generic(HostKernels.get(name), at, c.checkedType(), slots, types, tuple, out(c)));
  }
}
