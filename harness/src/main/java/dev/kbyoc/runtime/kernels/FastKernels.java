package dev.kbyoc.runtime.kernels;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.TupleValue;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Value;
import dev.kbyoc.op.BatchNormInference;
import dev.kbyoc.op.Kernel;
import dev.kbyoc.op.OpDef;
import dev.kbyoc.op.Types;
import dev.kbyoc.op.Window2d;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast host kernels by op name, as {@link Kernel}s on NDArrays (the form the subgraph
 * executor calls; the graph runtime's compiled functions call the raw-array kernels directly).
 * Each handles the float32 (NCHW / OIHW) cases the CNNs need and hands any other dtype or layout
 * to the op's reference kernel. Convolution and dense sum as the reference does (float fused
 * multiply-adds in its order: the same bits); the other kernels, batch norm included, compute what
 * the reference computes, step by step in float.
 */
public final class FastKernels {
  private FastKernels() {}

  /** Every fast kernel, keyed by the op it implements. */
  public static Map<String, Kernel> all() {
    Map<String, Kernel> m = new LinkedHashMap<>();
    m.put("nn.conv2d", orReference("nn.conv2d", (args, attrs, out) -> {
      NDArray x = args.get(0).asTensor();
      NDArray w = args.get(1).asTensor();
      if (!isFloat(x) || !isFloat(w) || !attrs.getString("data_layout").equals("NCHW")
          || !attrs.getString("kernel_layout").equals("OIHW")) {
        return null;
      }
      NDArray y = NDArray.zeros(DType.FLOAT32, ((TensorType) out).shape());
      Conv2dF32 c = conv(x.shape(), w.shape(), y.shape(), attrs);
      c.run(x.floatData(), w.floatData(), y.floatData(), Epilogue.IDENTITY, c.newScratch());
      return y;
    }));
    m.put("nn.dense", orReference("nn.dense", (args, attrs, out) -> {
      NDArray x = args.get(0).asTensor();
      NDArray w = args.get(1).asTensor();
      if (!isFloat(x) || !isFloat(w)) {
        return null;
      }
      NDArray y = NDArray.zeros(DType.FLOAT32, ((TensorType) out).shape());
      FloatOps.dense(x.floatData(), x.size() / w.dim(1), w.dim(1), w.floatData(), w.dim(0), y.floatData(), Epilogue.IDENTITY);
      return y;
    }));
    String[] binaries = {"add", "subtract", "multiply", "divide"};
    for (int op = 0; op < binaries.length; op++) {
      int code = op;
      m.put(binaries[op], orReference(binaries[op], (args, attrs, out) -> {
        NDArray a = args.get(0).asTensor();
        NDArray b = args.get(1).asTensor();
        if (!isFloat(a) || !isFloat(b)) {
          return null;
        }
        NDArray y = NDArray.zeros(DType.FLOAT32, ((TensorType) out).shape());
        FloatOps.binary(a.floatData(), a.shape(), b.floatData(), b.shape(), y.floatData(), y.shape(), code);
        return y;
      }));
    }
    m.put("nn.relu", orReference("nn.relu", (args, attrs, out) -> activation(args, Epilogue.IDENTITY.withRelu())));
    m.put("clip", orReference("clip", (args, attrs, out) -> activation(args,
        Epilogue.IDENTITY.withClip((float) attrs.getDouble("a_min"), (float) attrs.getDouble("a_max")))));
    m.put("nn.bias_add", orReference("nn.bias_add", (args, attrs, out) -> {
      NDArray x = args.get(0).asTensor();
      NDArray b = args.get(1).asTensor();
      if (!isFloat(x) || !isFloat(b)) {
        return null;
      }
      int[] around = Types.aroundAxis(x.shape(), Types.axis(attrs.getInt("axis"), x.rank()));
      NDArray y = NDArray.zeros(DType.FLOAT32, x.shape());
      FloatOps.biasAdd(x.floatData(), y.floatData(), around[0], around[1], around[2], b.floatData(), Epilogue.IDENTITY);
      return y;
    }));
    m.put("nn.batch_norm", orReference("nn.batch_norm", (args, attrs, out) -> {
      for (Value v : args) {
        if (!isFloat(v.asTensor())) {
          return null;
        }
      }
      NDArray x = args.get(0).asTensor();
      int[] around = Types.aroundAxis(x.shape(), Types.axis(attrs.getInt("axis"), x.rank()));
      float[] k = BatchNormInference.scale(args.get(1).asTensor().floatData(), args.get(4).asTensor().floatData(), attrs);
      float[] t = BatchNormInference.shift(args.get(2).asTensor().floatData(), args.get(3).asTensor().floatData(), k, attrs);
      NDArray y = NDArray.zeros(DType.FLOAT32, x.shape());
      FloatOps.channelAffine(x.floatData(), y.floatData(), around[0], around[1], around[2], k, t, Epilogue.IDENTITY);
      return new TupleValue(List.of(y, args.get(3).asTensor().copy(), args.get(4).asTensor().copy()));
    }));
    for (boolean avg : new boolean[] {false, true}) {
      String name = avg ? "nn.avg_pool2d" : "nn.max_pool2d";
      m.put(name, orReference(name, (args, attrs, out) -> {
        NDArray x = args.get(0).asTensor();
        if (!isFloat(x) || !attrs.getString("layout").equals("NCHW")) {
          return null;
        }
        NDArray y = NDArray.zeros(DType.FLOAT32, ((TensorType) out).shape());
        FastPool.run(x.floatData(), x.shape(), y.floatData(), y.shape(), attrs.getInts("pool_size"),
            attrs.getInts("strides"), attrs.getInts("dilation"), Window2d.padding(attrs), avg,
            avg && attrs.getBool("count_include_pad"));
        return y;
      }));
    }
    m.put("nn.global_avg_pool2d", orReference("nn.global_avg_pool2d", (args, attrs, out) -> {
      NDArray x = args.get(0).asTensor();
      if (!isFloat(x) || !attrs.getString("layout").equals("NCHW")) {
        return null;
      }
      NDArray y = NDArray.zeros(DType.FLOAT32, x.dim(0), x.dim(1), 1, 1);
      FloatOps.globalAvgPool(x.floatData(), y.floatData(), x.dim(0) * x.dim(1), x.dim(2) * x.dim(3));
      return y;
    }));
    return m;
  }

  /** The planned convolution for NCHW {@code in}, OIHW {@code w}, NCHW {@code out} under conv2d attrs. */
  public static Conv2dF32 conv(int[] in, int[] w, int[] out, Attrs attrs) {
    int[] p = Window2d.padding(attrs);
    return new Conv2dF32(in, w, out, attrs.getInts("strides"), attrs.getInts("dilation"), p[0], p[1], attrs.getInt("groups"));
  }

  private static Value activation(List<Value> args, Epilogue act) {
    NDArray x = args.get(0).asTensor();
    if (!isFloat(x)) {
      return null;
    }
    NDArray y = NDArray.zeros(DType.FLOAT32, x.shape());
    FloatOps.activation(x.floatData(), y.floatData(), x.size(), act);
    return y;
  }

  private static boolean isFloat(NDArray x) {
    return x.dtype() == DType.FLOAT32;
  }

  /** A kernel that tries {@code fast} and runs the reference kernel when it returns null. */
  private static Kernel orReference(String op, Kernel fast) {
    return new Kernel() {
      private Kernel reference;

      @Override
      public Value compute(List<Value> args, Attrs attrs, Type outType) {
        Value v = fast.compute(args, attrs, outType);
        if (v != null) {
          return v;
        }
        if (reference == null) {
          reference = OpDef.of(op).kernel();
        }
        return reference.compute(args, attrs, outType);
      }
    };
  }
}
