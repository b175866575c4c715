package dev.kbyoc.runtime;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.TupleValue;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Value;
import dev.kbyoc.op.BatchNormInference;
import dev.kbyoc.op.Kernel;
import dev.kbyoc.runtime.kernels.Conv2dF32;
import dev.kbyoc.runtime.kernels.Epilogue;
import dev.kbyoc.runtime.kernels.FastPool;
import dev.kbyoc.runtime.kernels.FloatOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The steps of a {@link FloatProgram}: each reads and writes slots of the program's buffer table
 * ({@code buf[slot]}, a float array at least as long as the slot's tensor) through the raw-array
 * kernels of {@code runtime.kernels}. {@link Generic} runs any other op's host kernel on copies.
 */
final class FloatSteps {
  private FloatSteps() {}

  /** One step of a program. */
  interface Step {
    void run(float[][] buf);
  }

  /** An activation fused after a kernel: {@link Epilogue#NONE}, RELU or CLIP with its bounds. */
  record Act(int kind, float lo, float hi) {
    static final Act NONE = new Act(Epilogue.NONE, 0, 0);

    Epilogue with(float[] bias) {
      return new Epilogue(bias, kind, lo, hi);
    }
  }

  /**
   * {@code nn.conv2d} (+ bias, + per-channel multiply and add, + residual add, + activation; a slot
   * of -1 for a step that is absent) into its output slot.
   */
  record Conv(Conv2dF32 plan, int x, int w, int bias, int scale, int shift, int residual, Act act, int y,
      float[] scratch) implements Step {
    @Override
    public void run(float[][] buf) {
      Epilogue e = act.with(bias < 0 ? null : buf[bias]).withAffine(scale < 0 ? null : buf[scale], shift < 0 ? null : buf[shift])
          .withResidual(residual < 0 ? null : buf[residual]);
      plan.run(buf[x], buf[w], buf[y], e, scratch);
    }
  }

  /** {@code nn.dense} (+ bias + activation). */
  record Dense(int rows, int k, int units, int x, int w, int bias, Act act, int y) implements Step {
    @Override
    public void run(float[][] buf) {
      FloatOps.dense(buf[x], rows, k, buf[w], units, buf[y], act.with(bias < 0 ? null : buf[bias]));
    }
  }

  /** {@code nn.bias_add} (+ activation) around (outer, channels, inner). */
  record BiasAdd(int[] around, int x, int b, Act act, int y) implements Step {
    @Override
    public void run(float[][] buf) {
      FloatOps.biasAdd(buf[x], buf[y], around[0], around[1], around[2], buf[b], act.with(null));
    }
  }

  /** {@code nn.relu} or {@code clip} alone. */
  record Activation(int size, int x, Act act, int y) implements Step {
    @Override
    public void run(float[][] buf) {
      FloatOps.activation(buf[x], buf[y], size, act.with(null));
    }
  }

  /**
   * {@code nn.batch_norm}; mean and var are copied to outputs 1 and 2. The per-channel
   * coefficients (a square root and a division each) are recomputed only when a parameter
   * changed since the last run.
   */
  static final class BatchNormStep implements Step {
    private final int[] around;
    private final Attrs attrs;
    private final int[] params;
    private final int x;
    private final int y;
    private final int meanOut;
    private final int varOut;
    private float[] k;
    private float[] t;
    private final float[][] last;
    private boolean ready;

    BatchNormStep(int[] around, Attrs attrs, int x, int[] params, int y, int meanOut, int varOut) {
      this.around = around;
      this.attrs = attrs;
      this.x = x;
      this.params = params;
      this.y = y;
      this.meanOut = meanOut;
      this.varOut = varOut;
      int c = around[1];
      last = new float[4][c];
    }

    @Override
    public void run(float[][] buf) {
      int c = around[1];
      boolean same = ready;
      for (int i = 0; i < 4 && same; i++) {
        same = Arrays.equals(buf[params[i]], 0, c, last[i], 0, c);
      }
      if (!same) {
        for (int i = 0; i < 4; i++) {
          System.arraycopy(buf[params[i]], 0, last[i], 0, c);
        }
        k = BatchNormInference.scale(last[0], last[3], attrs);
        t = BatchNormInference.shift(last[1], last[2], k, attrs);
        ready = true;
      }
      FloatOps.channelAffine(buf[x], buf[y], around[0], c, around[2], k, t, Epilogue.IDENTITY);
      System.arraycopy(buf[params[2]], 0, buf[meanOut], 0, c);
      System.arraycopy(buf[params[3]], 0, buf[varOut], 0, c);
    }
  }

  /**
   * A pure data-movement op as copies ({@link GatherMap}): {@code map[i]} indexes the inputs'
   * elements laid end to end ({@code offsets[j]} is where input slot {@code inputs[j]} starts).
   * A single input copies element by element through the map; several inputs (concatenate) copy
   * runs of consecutive elements.
   */
  static final class Gather implements Step {
    private final int[] inputs;
    private final int[] map;
    private final int y;
    private final int[] runOut;
    private final int[] runSlot;
    private final int[] runIn;
    private final int[] runLen;
    /** One input and runs of under 4 elements on average: copy element by element through the map. */
    private final boolean byElement;

    Gather(int[] inputs, int[] offsets, int[] map, int y) {
      this.inputs = inputs;
      this.map = map;
      this.y = y;
      List<int[]> runs = new ArrayList<>();
      int[] cur = null;
      for (int i = 0; i < map.length; i++) {
        int j = Arrays.binarySearch(offsets, map[i]);
        j = j >= 0 ? j : -j - 2;
        while (j + 1 < offsets.length && offsets[j + 1] <= map[i]) {
          j++; // past empty inputs that start at the same offset
        }
        int local = map[i] - offsets[j];
        if (cur != null && cur[1] == j && cur[2] + cur[3] == local) {
          cur[3]++;
        } else {
          cur = new int[] {i, j, local, 1};
          runs.add(cur);
        }
      }
      runOut = new int[runs.size()];
      runSlot = new int[runs.size()];
      runIn = new int[runs.size()];
      runLen = new int[runs.size()];
      for (int r = 0; r < runs.size(); r++) {
        runOut[r] = runs.get(r)[0];
        runSlot[r] = inputs[runs.get(r)[1]];
        runIn[r] = runs.get(r)[2];
        runLen[r] = runs.get(r)[3];
      }
      byElement = inputs.length == 1 && runs.size() * 4 > map.length;
    }

    @Override
    public void run(float[][] buf) {
      float[] out = buf[y];
      if (byElement) {
        float[] src = buf[inputs[0]];
        for (int i = 0; i < map.length; i++) {
          out[i] = src[map[i]];
        }
        return;
      }
      for (int r = 0; r < runOut.length; r++) {
        System.arraycopy(buf[runSlot[r]], runIn[r], out, runOut[r], runLen[r]);
      }
    }
  }

  /** numpy-broadcast float {@code + - * /}. */
  record Binary(int op, int[] as, int a, int[] bs, int b, int[] ys, int y) implements Step {
    @Override
    public void run(float[][] buf) {
      FloatOps.binary(buf[a], as, buf[b], bs, buf[y], ys, op);
    }
  }

  /** NCHW {@code nn.global_avg_pool2d}. */
  record GlobalAvgPool(int nc, int plane, int x, int y) implements Step {
    @Override
    public void run(float[][] buf) {
      FloatOps.globalAvgPool(buf[x], buf[y], nc, plane);
    }
  }

  /** NCHW {@code nn.max_pool2d} / {@code nn.avg_pool2d}. */
  record Pool(int[] is, int[] os, int[] k, int[] s, int[] d, int[] p, boolean avg, boolean includePad, int x, int y)
      implements Step {
    @Override
    public void run(float[][] buf) {
      FastPool.run(buf[x], is, buf[y], os, k, s, d, p, avg, includePad);
    }
  }

  /** A copy of {@code size} elements: reshape-like ops, and outputs that are inputs or constants. */
  record Copy(int size, int x, int y) implements Step {
    @Override
    public void run(float[][] buf) {
      System.arraycopy(buf[x], 0, buf[y], 0, size);
    }
  }

  /**
   * Any other op: its host kernel on NDArray copies of the argument slots (a tuple argument is
   * rebuilt from its fields' slots), the result's tensors copied into the output slots.
   */
  record Generic(Kernel kernel, Attrs attrs, Type outType, int[][] argSlots, TensorType[][] argTypes,
      boolean[] argIsTuple, int[] outSlots) implements Step {
    @Override
    public void run(float[][] buf) {
      List<Value> args = new ArrayList<>(argSlots.length);
      for (int i = 0; i < argSlots.length; i++) {
        List<Value> fields = new ArrayList<>();
        for (int j = 0; j < argSlots[i].length; j++) {
          TensorType t = argTypes[i][j];
          fields.add(NDArray.of(Arrays.copyOf(buf[argSlots[i][j]], (int) NDArray.checkedSize(t.shape())), t.shape()));
        }
        args.add(argIsTuple[i] ? new TupleValue(fields) : fields.get(0));
      }
      List<NDArray> out = new ArrayList<>();
      Interpreter.flatten(kernel.compute(args, attrs, outType), out);
      for (int j = 0; j < outSlots.length; j++) {
        float[] d = out.get(j).floatData();
        System.arraycopy(d, 0, buf[outSlots[j]], 0, d.length);
      }
    }
  }
}
