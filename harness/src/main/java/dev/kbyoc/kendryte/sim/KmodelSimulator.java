package dev.kbyoc.kendryte.sim;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.format.CpuLayer;
import dev.kbyoc.kendryte.format.K210ConvLayer;
import dev.kbyoc.kendryte.format.KLayer;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.format.KmodelOutput;
import dev.kbyoc.kendryte.format.KpuField;
import dev.kbyoc.kendryte.format.KpuLayerArgument;
import dev.kbyoc.kendryte.format.LayerType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes a kmodel v3 like the SDK's {@code kpu_run_kmodel}: the single input goes to KPU RAM
 * (uint8, when the first layer is K210_CONV, as {@code kpu_kmodel_input_with_padding} does) or to
 * the first layer's main-memory input (float32, or uint8 for layers that read uint8); the layers
 * run in order; each output is read from main memory as float32 ({@code kpu_get_output}; nncase
 * v0.1 writes every output as float). A fresh memory per run; not thread-safe.
 */
public final class KmodelSimulator {
  /**
   * Per-layer statistics: MACs (KPU conv only), KPU RAM bytes touched, output shape and, for KPU
   * layers run in uint8 mode with layer outputs kept, the largest difference (in LSBs) between the
   * bit-exact output and the unrounded output computed from the same input (-1 otherwise).
   */
  public record LayerReport(int index, LayerType type, long macs, long kpuRamBytes, int[] outputShape,
      double isolatedErrorLsb) {}

  /**
   * Outputs (float32, shaped [1, C, H, W] when the producing layer's shape is known), per-layer
   * reports and, when requested, every layer's output as float32 (uint8 tensors as their values).
   */
  public record Result(List<NDArray> outputs, List<LayerReport> layers, List<NDArray> layerOutputs) {}

  /** What the input must look like. */
  public record InputSpec(DType dtype, int[] shape) {}

  private final String name;
  private final Kmodel model;
  private final SimMode mode;

  public KmodelSimulator(String name, Kmodel model, SimMode mode) {
    this.name = name;
    this.model = model;
    this.mode = mode;
  }

  private String who(int i) {
    return "kmodel " + name + ": layer " + i + " (" + model.layers().get(i).type() + ")";
  }

  /**
   * The expected input: dtype and NCHW (or [1, N]) shape, from the first layer; a float kmodel
   * takes float32 where a real one takes uint8.
   */
  public InputSpec inputSpec() {
    InputSpec s = storedSpec();
    return model.floatWeights() ? new InputSpec(DType.FLOAT32, s.shape()) : s;
  }

  /** The input as the first layer stores it. */
  private InputSpec storedSpec() {
    KLayer first = model.layers().get(0);
    if (first instanceof K210ConvLayer c) {
      KpuLayerArgument a = c.argument();
      return new InputSpec(DType.UINT8, new int[] {1, a.inputChannels(), a.inputHeight(), a.inputWidth()});
    }
    CpuLayer l = (CpuLayer) first;
    return switch (l.type()) {
      case FULLY_CONNECTED -> new InputSpec(DType.FLOAT32, new int[] {1, (int) l.u32("in_channels")});
      case QUANTIZE -> new InputSpec(DType.FLOAT32, new int[] {1, (int) l.u32("count")});
      case DEQUANTIZE -> new InputSpec(DType.UINT8, new int[] {1, (int) l.u32("count")});
      case SOFTMAX, L2_NORMALIZATION, LOGISTIC -> new InputSpec(DType.FLOAT32, new int[] {1, (int) l.u32("channels")});
      case GLOBAL_AVERAGE_POOL2D -> new InputSpec(DType.FLOAT32,
          new int[] {1, (int) l.u32("channels"), (int) l.u32("kernel_size")});
      case TENSORFLOW_FLATTEN -> new InputSpec(DType.FLOAT32,
          new int[] {1, (int) l.u32("channels"), (int) l.u32("height"), (int) l.u32("width")});
      case K210_UPLOAD -> new InputSpec(DType.UINT8,
          new int[] {1, (int) l.u32("channels"), (int) l.u32("height"), (int) l.u32("width")});
      default -> throw new KbyocException(who(0) + ": this first layer type cannot take the model input"
          + " (the SDK accepts K210_CONV or FULLY_CONNECTED first)");
    };
  }

  /** Runs the model on one input. */
  public Result run(NDArray input) {
    return run(input, false);
  }

  /** Runs the model on one input, keeping every layer's output when {@code keepLayers}. */
  public Result run(NDArray input, boolean keepLayers) {
    InputSpec spec = inputSpec();
    long want = NDArray.checkedSize(spec.shape());
    if (input.size() != want) {
      throw new KbyocException("kmodel " + name + ": input has " + input.size() + " elements "
          + java.util.Arrays.toString(input.shape()) + ", the first layer needs " + want + " "
          + java.util.Arrays.toString(spec.shape()));
    }
    if (model.floatWeights() && mode != SimMode.FLOAT) {
      throw new KbyocException("kmodel " + name + ": a kbyoc float kmodel (header flags bit 1) runs only in float"
          + " mode, not " + mode.name().toLowerCase(java.util.Locale.ROOT));
    }
    MainMemory main = new MainMemory(model.mainMemUsage(), mode, !model.floatWeights());
    KpuRam ram = new KpuRam(mode, !model.floatWeights());
    Map<Long, int[]> shapes = new HashMap<>();
    feed(input, spec, main, ram, shapes);
    List<LayerReport> reports = new ArrayList<>();
    List<NDArray> dumps = new ArrayList<>();
    for (int i = 0; i < model.layers().size(); i++) {
      KLayer layer = model.layers().get(i);
      if (layer instanceof K210ConvLayer c) {
        boolean isolate = keepLayers && mode == SimMode.UINT8;
        KpuConvLayerExecutor.Stats s = KpuConvLayerExecutor.run(c, model.weightBytes(), ram, main, mode, who(i),
            isolate);
        double err = -1;
        if (isolate) {
          err = 0;
          for (int j = 0; j < s.values().length; j++) {
            err = Math.max(err, Math.abs(s.values()[j] - s.isolatedFloat()[j]));
          }
        }
        if (c.mainMemOut()) {
          shapes.put(c.mainMemOutAddress(), s.shape());
        }
        reports.add(new LayerReport(i, layer.type(), s.macs(), s.kpuBytes(), s.shape(), err));
        if (keepLayers) {
          float[] v = new float[s.values().length];
          for (int j = 0; j < v.length; j++) {
            v[j] = (float) s.values()[j];
          }
          dumps.add(NDArray.of(v, prepend1(s.shape())));
        }
      } else {
        CpuLayer l = (CpuLayer) layer;
        int[] shape = CpuLayerExecutor.run(l, main, ram, mode, who(i));
        int[] in = shapes.get(CpuLayerExecutor.inputAddress(l));
        if (in != null && NDArray.checkedSize(in) == NDArray.checkedSize(shape) && keepsShape(l.type())) {
          shape = in;
        }
        long out = CpuLayerExecutor.outputAddress(l);
        if (out >= 0) {
          shapes.put(out, shape);
        }
        reports.add(new LayerReport(i, layer.type(), 0, 0, shape, -1));
        if (keepLayers) {
          dumps.add(LayerReadback.read(l, shape, main, ram));
        }
      }
    }
    List<NDArray> outputs = new ArrayList<>();
    for (int o = 0; o < model.outputs().size(); o++) {
      KmodelOutput out = model.outputs().get(o);
      int n = (int) (out.size() / 4);
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = main.getF32((int) out.address() + 4 * i);
      }
      int[] shape = shapes.get(out.address());
      int[] full = shape != null && NDArray.checkedSize(shape) == n ? prepend1(shape) : new int[] {1, n};
      outputs.add(NDArray.of(v, full));
    }
    return new Result(outputs, reports, dumps);
  }

  /** Whether a CPU layer type writes a float32 tensor (else uint8 or KPU RAM). */
  public static boolean writesFloat(LayerType t) {
    return LayerReadback.writesFloat(t);
  }

  private static boolean keepsShape(LayerType t) {
    return switch (t) {
      case QUANTIZE, DEQUANTIZE, REQUANTIZE, CHANNELWISE_DEQUANTIZE, LOGISTIC, QUANTIZED_ADD, ADD -> true;
      default -> false;
    };
  }

  private static int[] prepend1(int[] s) {
    int[] r = new int[s.length + 1];
    r[0] = 1;
    System.arraycopy(s, 0, r, 1, s.length);
    return r;
  }

  private void feed(NDArray input, InputSpec spec, MainMemory main, KpuRam ram, Map<Long, int[]> shapes) {
    boolean u8 = storedSpec().dtype() == DType.UINT8;
    int n = input.size();
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = input.getDouble(i);
      boolean whole = mode == SimMode.FLOAT || v[i] == Math.rint(v[i]); // float runs keep unrounded uint8
      if (spec.dtype() == DType.UINT8 && (!whole || v[i] < 0 || v[i] > 255)) {
        throw new KbyocException("kmodel " + name + ": input element " + i + " = " + v[i]
            + " is not a uint8 value (the first layer takes uint8)");
      }
    }
    KLayer first = model.layers().get(0);
    int[] chw = java.util.Arrays.copyOfRange(spec.shape(), 1, spec.shape().length);
    if (first instanceof K210ConvLayer c) {
      KpuLayerArgument a = c.argument();
      ram.upload(a.get(KpuField.IMAGE_SRC_ADDR), v, a.inputWidth(), a.inputHeight(), a.inputChannels(),
          who(0) + " input");
      return;
    }
    CpuLayer l = (CpuLayer) first;
    long addr = CpuLayerExecutor.inputAddress(l);
    main.check(addr, (long) n * (u8 ? 1 : 4), who(0) + " model input");
    for (int i = 0; i < n; i++) {
      if (u8) {
        main.putQ((int) addr + i, v[i]);
      } else {
        main.putF32((int) addr + 4 * i, (float) v[i]);
      }
    }
    shapes.put(addr, chw);
  }
}
