package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.kendryte.codegen.BufferPlanner.Buf;
import dev.kbyoc.kendryte.codegen.BufferPlanner.Space;
import dev.kbyoc.kendryte.codegen.BufferPlanner.Step;
import dev.kbyoc.kendryte.codegen.RegionNode.Kind;
import dev.kbyoc.kendryte.format.KLayer;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.format.KmodelOutput;
import dev.kbyoc.kendryte.format.LayerType;
import dev.kbyoc.kendryte.sim.KpuLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Lowers a calibrated {@link RegionGraph} to kmodel v3 layers (uint8 kmodel: KPU convs with uint8
 * activations, CPU layers as nncase v0.1 emits them). A tensor exists in up to three forms: float32
 * in main memory (the model input; outputs of global pool, dense, softmax), uint8 in main memory
 * and a map in KPU RAM (conv outputs). Algorithm: 1. for each node in topological order, fetch the
 * forms its layer reads, adding a conversion the first time one is needed (QUANTIZE float to uint8,
 * DEQUANTIZE back, K210_UPLOAD uint8 to KPU RAM; a conv whose result a CPU layer or the model
 * output reads also writes it to main memory, KLF_MAIN_MEM_OUT), then emit its layer: K210_CONV,
 * QUANTIZED_ADD (the activation through the output range), QUANTIZED_CONCAT (REQUANTIZE first for
 * an input whose quantization differs from the output's), QUANTIZED_RESIZE_NEAREST_NEIGHBOR, or,
 * when every input is already float, ADD / CONCAT / RESIZE_NEAREST_NEIGHBOR; GLOBAL_AVERAGE_POOL2D,
 * FULLY_CONNECTED and SOFTMAX in float; batch_flatten is no layer (NCHW bytes are already
 * flat); 2. DEQUANTIZE each output not yet float; 3. place buffers by live range
 * ({@link BufferPlanner}); 4. build the layers with the addresses. A {@link QuantizeMode#FLOAT}
 * kmodel has the same structure with float K210_CONV layers, identity QUANTIZE/DEQUANTIZE and the
 * float ADD / CONCAT / RESIZE_NEAREST_NEIGHBOR (nncase's DEQUANTIZE -> float layer -> QUANTIZE);
 * an activation on an add becomes an identity KPU layer there.
 */
final class RegionLowering {
  private final RegionGraph g;
  private final double[][] ranges;
  private final String fn;
  private final boolean floatKmodel;
  private final Buf[] f32;
  private final Buf[] u8;
  private final Buf[] kpu;
  private final boolean[] floatDomain;
  private final List<Step> steps = new ArrayList<>();
  private final List<Supplier<KLayer>> builders = new ArrayList<>();

  private RegionLowering(RegionGraph g, double[][] ranges, String fn, QuantizeMode mode) {
    this.g = g;
    this.ranges = ranges;
    this.fn = fn;
    this.floatKmodel = mode == QuantizeMode.FLOAT;
    int n = g.nodes().size();
    f32 = new Buf[n];
    u8 = new Buf[n];
    kpu = new Buf[n];
    floatDomain = new boolean[n];
  }

  /**
   * The kmodel of a region whose node ranges came from {@link RegionCalibrator}. The first layer
   * must be one that takes the model input ({@code kpu_run_kmodel}); when a float kmodel would start
   * with ADD, CONCAT or RESIZE_NEAREST_NEIGHBOR on the input, it starts with an identity
   * QUANTIZE + DEQUANTIZE copy of the input instead.
   */
  static Kmodel lower(RegionGraph g, double[][] ranges, String fn, QuantizeMode mode) {
    Kmodel m = new RegionLowering(g, ranges, fn, mode).run(false);
    LayerType first = m.layers().get(0).type();
    boolean takesInput = first != LayerType.ADD && first != LayerType.CONCAT
        && first != LayerType.RESIZE_NEAREST_NEIGHBOR;
    return takesInput ? m : new RegionLowering(g, ranges, fn, mode).run(true);
  }

  private Kmodel run(boolean copyInput) {
    RegionNode input = g.input();
    Buf in = f32[input.id()] = new Buf(Space.MAIN, 4L * input.size());
    if (copyInput) {
      u8Of(input);
      f32[input.id()] = null;
      f32Of(input);
    }
    for (RegionNode n : g.nodes()) {
      floatDomain[n.id()] = switch (n.kind()) {
        case INPUT, CONV -> false;
        case GLOBAL_AVG_POOL, DENSE, SOFTMAX -> true;
        case FLATTEN -> floatDomain[n.input(0).id()];
        case ADD, CONCAT, RESIZE -> floatKmodel || n.act() == 0
            && n.inputs().stream().allMatch(i -> floatDomain[i.id()]);
      };
      lower(n);
    }
    List<Buf> outs = new ArrayList<>();
    for (RegionNode o : g.outputs()) {
      outs.add(f32Of(o));
    }
    BufferPlanner.Extent ext = BufferPlanner.plan(fn, steps, in, outs);
    List<KLayer> layers = new ArrayList<>();
    for (Supplier<KLayer> b : builders) {
      layers.add(b.get());
    }
    List<KmodelOutput> outputs = new ArrayList<>();
    for (int i = 0; i < outs.size(); i++) {
      outputs.add(new KmodelOutput(outs.get(i).address, 4L * g.outputs().get(i).size()));
    }
    return floatKmodel ? Kmodel.ofFloat(ext.kpuLines(), ext.mainBytes(), outputs, layers)
        : Kmodel.of(true, ext.kpuLines(), ext.mainBytes(), outputs, layers);
  }

  private void step(String name, List<Buf> reads, List<Buf> writes, Supplier<KLayer> layer) {
    steps.add(new Step(name, reads, writes));
    builders.add(layer);
  }

  private static Buf main(long bytes) {
    return new Buf(Space.MAIN, bytes);
  }

  private void lower(RegionNode n) {
    int id = n.id();
    String name = n.name();
    switch (n.kind()) {
      case INPUT, FLATTEN -> { }
      case CONV -> {
        RegionNode in = n.input(0);
        Buf src = kpuOf(in);
        ConvGroup cg = n.conv();
        KpuQuantizer.Layer q = floatKmodel ? null : KpuQuantizer.quantize(cg, qOf(in), qOf(n));
        int[] os = KpuConvEmitter.outShape(cg);
        Buf out = new Buf(Space.KPU, KpuLayout.lines(os[2], os[1], os[0]));
        kpu[id] = out;
        boolean main = g.outputs().contains(n) || g.consumers(n).stream().anyMatch(c -> c.kind() != Kind.CONV);
        Buf mainOut = main ? main(n.size()) : null;
        u8[id] = mainOut;
        step(name, List.of(src), mainOut == null ? List.of(out) : List.of(out, mainOut),
            () -> KpuConvEmitter.conv(cg, q, src.address, out.address, mainOut == null ? -1 : mainOut.address));
      }
      case ADD -> {
        if (floatDomain[id]) {
          Buf a = f32Of(n.input(0));
          Buf b = f32Of(n.input(1));
          Buf out = main(4L * n.size());
          step(name, List.of(a, b), List.of(out), () -> FloatLayerEmitter.add(a.address, b.address, out.address,
              n.size()));
          if (n.act() == 0) {
            f32[id] = out;
          } else {
            activateOnKpu(n, out);
          }
        } else {
          Buf a = u8Of(n.input(0));
          Buf b = u8Of(n.input(1));
          Buf out = u8[id] = main(n.size());
          QuantParam qa = qOf(n.input(0));
          QuantParam qb = qOf(n.input(1));
          step(name, List.of(a, b), List.of(out), () -> QuantLayerEmitter.quantizedAdd(a.address, b.address,
              out.address, n.size(), qa, qb, qOf(n)));
        }
      }
      case CONCAT -> concat(n);
      case RESIZE -> {
        boolean fl = floatDomain[id];
        Buf src = fl ? f32Of(n.input(0)) : u8Of(n.input(0));
        Buf out = main((fl ? 4L : 1L) * n.size());
        if (fl) {
          f32[id] = out;
        } else {
          u8[id] = out;
        }
        LayerType t = fl ? LayerType.RESIZE_NEAREST_NEIGHBOR : LayerType.QUANTIZED_RESIZE_NEAREST_NEIGHBOR;
        step(name, List.of(src), List.of(out), () -> QuantLayerEmitter.resizeNearest(t, src.address, out.address,
            n.input(0).shape(), n.shape()));
      }
      case GLOBAL_AVG_POOL -> {
        Buf src = f32Of(n.input(0));
        Buf out = f32[id] = main(4L * n.size());
        int[] s = n.input(0).shape();
        step(name, List.of(src), List.of(out), () -> FloatLayerEmitter.globalAveragePool(src.address, out.address,
            s[0], s[1] * s[2]));
      }
      case DENSE -> {
        Buf src = f32Of(n.input(0));
        Buf out = f32[id] = main(4L * n.size());
        step(name, List.of(src), List.of(out), () -> FloatLayerEmitter.fullyConnected(src.address, out.address,
            n.input(0).size(), n.weights(), n.bias(), n.act()));
      }
      case SOFTMAX -> {
        Buf src = f32Of(n.input(0));
        Buf out = f32[id] = main(4L * n.size());
        step(name, List.of(src), List.of(out), () -> FloatLayerEmitter.softmax(src.address, out.address, n.size()));
      }
    }
  }

  /**
   * The activation of a tensor add in a float kmodel (the float ADD has none, and the float
   * variant's uint8 tensors do not saturate): QUANTIZE (identity), K210_UPLOAD and an identity KPU
   * layer (depthwise 1x1, weight 1) with the activation, which writes the node's map and main form.
   */
  private void activateOnKpu(RegionNode n, Buf sum) {
    int[] s = n.shape();
    int c = s[0];
    Buf q8 = main(n.size());
    step(n.name() + " quantize", List.of(sum), List.of(q8),
        () -> QuantLayerEmitter.quantize(sum.address, q8.address, n.size(), QuantParam.IDENTITY));
    Buf up = new Buf(Space.KPU, KpuLayout.lines(s[2], s[1], c));
    step(n.name() + " upload", List.of(q8), List.of(up), () -> QuantLayerEmitter.upload(q8.address, up.address, s));
    float[] ones = new float[c];
    double[] scale = new double[c];
    Arrays.fill(ones, 1f);
    Arrays.fill(scale, 1);
    ConvGroup act = new ConvGroup(c, c, s[1], s[2], 1, true, ones, scale, new double[c], n.act(), 0, n.name());
    Buf out = kpu[n.id()] = new Buf(Space.KPU, KpuLayout.lines(s[2], s[1], c));
    Buf mainOut = u8[n.id()] = main(n.size());
    step(n.name() + " activation", List.of(up), List.of(out, mainOut),
        () -> KpuConvEmitter.conv(act, null, up.address, out.address, mainOut.address));
  }

  private void concat(RegionNode n) {
    boolean fl = floatDomain[n.id()];
    int elem = fl ? 4 : 1;
    List<Buf> srcs = new ArrayList<>();
    QuantParam qo = qOf(n);
    for (RegionNode in : n.inputs()) {
      if (fl) {
        srcs.add(f32Of(in));
        continue;
      }
      Buf s = u8Of(in);
      QuantParam qi = qOf(in);
      if (qi.equals(qo)) {
        srcs.add(s);
      } else {
        Buf t = main(in.size());
        step(n.name() + " input " + srcs.size() + " requantize", List.of(s), List.of(t),
            () -> QuantLayerEmitter.requantize(s.address, t.address, in.size(), qi, qo));
        srcs.add(t);
      }
    }
    Buf out = main((long) elem * n.size());
    if (fl) {
      f32[n.id()] = out;
    } else {
      u8[n.id()] = out;
    }
    LayerType t = fl ? LayerType.CONCAT : LayerType.QUANTIZED_CONCAT;
    step(n.name(), List.copyOf(srcs), List.of(out), () -> {
      long[] starts = new long[srcs.size()];
      long[] sizes = new long[srcs.size()];
      for (int i = 0; i < starts.length; i++) {
        starts[i] = srcs.get(i).address;
        sizes[i] = (long) elem * n.input(i).size();
      }
      return QuantLayerEmitter.concat(t, out.address, starts, sizes);
    });
  }

  /** The uint8 quantization of a node's tensor: a resize or flatten keeps its input's. */
  private QuantParam qOf(RegionNode n) {
    if (floatKmodel) {
      return QuantParam.IDENTITY;
    }
    if (n.kind() == Kind.RESIZE || n.kind() == Kind.FLATTEN) {
      return qOf(n.input(0));
    }
    double[] r = ranges[n.id()];
    double hi = n.kind() == Kind.CONV && n.conv().act() == 2 ? Math.min(r[1], 6) : r[1];
    return QuantParam.fromRange(r[0], hi);
  }

  private Buf f32Of(RegionNode n) {
    if (n.kind() == Kind.FLATTEN) {
      return f32Of(n.input(0));
    }
    if (f32[n.id()] == null) {
      Buf src = u8Of(n);
      Buf out = f32[n.id()] = main(4L * n.size());
      QuantParam q = qOf(n);
      step(n.name() + " dequantize", List.of(src), List.of(out),
          () -> QuantLayerEmitter.dequantize(src.address, out.address, n.size(), q));
    }
    return f32[n.id()];
  }

  private Buf u8Of(RegionNode n) {
    if (n.kind() == Kind.FLATTEN) {
      return u8Of(n.input(0));
    }
    if (u8[n.id()] == null) {
      Buf src = f32[n.id()];
      if (src == null) {
        throw new IllegalStateException(fn + ": " + n.name() + " has no main-memory form");
      }
      Buf out = u8[n.id()] = main(n.size());
      QuantParam q = qOf(n);
      step(n.name() + " quantize", List.of(src), List.of(out),
          () -> QuantLayerEmitter.quantize(src.address, out.address, n.size(), q));
    }
    return u8[n.id()];
  }

  private Buf kpuOf(RegionNode n) {
    if (kpu[n.id()] == null) {
      Buf src = u8Of(n);
      int[] s = n.shape();
      Buf out = kpu[n.id()] = new Buf(Space.KPU, KpuLayout.lines(s[2], s[1], s[0]));
      step(n.name() + " upload", List.of(src), List.of(out),
          () -> QuantLayerEmitter.upload(src.address, out.address, Arrays.copyOf(s, 3)));
    }
    return kpu[n.id()];
  }
}
