package dev.kbyoc.runtime.kernels;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Value;
import dev.kbyoc.op.Kernel;
import dev.kbyoc.op.OpDef;
import dev.kbyoc.op.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast host kernels by op name. Each handles the float32 (NCHW / OIHW) cases the CNNs need and
 * hands any other dtype or layout to the op's reference kernel, so registering them never changes
 * what a graph computes, only how fast.
 */
public final class FastKernels {
  private FastKernels() {}

  /** Every fast kernel, keyed by the op it implements. */
  public static Map<String, Kernel> all() {
    Map<String, Kernel> m = new LinkedHashMap<>();
    m.put("nn.conv2d", orReference("nn.conv2d", (args, attrs, out) -> {
      NDArray x = args.get(0).asTensor();
      NDArray w = args.get(1).asTensor();
      boolean ok = FastConv2d.handles(x, w, (TensorType) out) && attrs.getString("data_layout").equals("NCHW")
          && attrs.getString("kernel_layout").equals("OIHW");
      return ok ? FastConv2d.compute(x, w, attrs, (TensorType) out) : null;
    }));
    m.put("nn.dense", orReference("nn.dense", (args, attrs, out) -> {
      NDArray x = args.get(0).asTensor();
      NDArray w = args.get(1).asTensor();
      return FastDense.handles(x, w, (TensorType) out) ? FastDense.compute(x, w, (TensorType) out) : null;
    }));
    binary(m, "add", FastElementwise.BinOp.ADD);
    binary(m, "subtract", FastElementwise.BinOp.SUBTRACT);
    binary(m, "multiply", FastElementwise.BinOp.MULTIPLY);
    binary(m, "divide", FastElementwise.BinOp.DIVIDE);
    m.put("nn.relu", orReference("nn.relu", (args, attrs, out) -> {
      NDArray x = args.get(0).asTensor();
      return isFloat(x) ? FastElementwise.relu(x) : null;
    }));
    m.put("clip", orReference("clip", (args, attrs, out) -> {
      NDArray x = args.get(0).asTensor();
      return isFloat(x) ? FastElementwise.clip(x, attrs.getDouble("a_min"), attrs.getDouble("a_max")) : null;
    }));
    m.put("nn.bias_add", orReference("nn.bias_add", (args, attrs, out) -> {
      NDArray x = args.get(0).asTensor();
      NDArray b = args.get(1).asTensor();
      return isFloat(x) && isFloat(b)
          ? FastElementwise.biasAdd(x, b, Types.aroundAxis(x.shape(), Types.axis(attrs.getInt("axis"), x.rank())))
          : null;
    }));
    m.put("nn.batch_norm", orReference("nn.batch_norm", (args, attrs, out) -> {
      NDArray x = args.get(0).asTensor();
      for (Value v : args) {
        if (!isFloat(v.asTensor())) {
          return null;
        }
      }
      return FastChannelOps.batchNorm(x, args.get(1).asTensor(), args.get(2).asTensor(), args.get(3).asTensor(),
          args.get(4).asTensor(), Types.aroundAxis(x.shape(), Types.axis(attrs.getInt("axis"), x.rank())),
          attrs.getDouble("epsilon"), attrs.getBool("center"), attrs.getBool("scale"));
    }));
    for (boolean avg : new boolean[] {false, true}) {
      String name = avg ? "nn.avg_pool2d" : "nn.max_pool2d";
      m.put(name, orReference(name, (args, attrs, out) -> {
        NDArray x = args.get(0).asTensor();
        return isFloat(x) && attrs.getString("layout").equals("NCHW") ? FastPool.compute(x, attrs, (TensorType) out, avg)
            : null;
      }));
    }
    m.put("nn.global_avg_pool2d", orReference("nn.global_avg_pool2d", (args, attrs, out) -> {
      NDArray x = args.get(0).asTensor();
      return isFloat(x) && attrs.getString("layout").equals("NCHW") ? FastChannelOps.globalAvgPool(x) : null;
    }));
    return m;
  }

  private static void binary(Map<String, Kernel> m, String name, FastElementwise.BinOp op) {
    m.put(name, orReference(name, (args, attrs, out) -> {
      NDArray a = args.get(0).asTensor();
      NDArray b = args.get(1).asTensor();
      return FastElementwise.allFloat(a, b, (TensorType) out) ? FastElementwise.binary(a, b, (TensorType) out, op) : null;
    }));
  }

  private static boolean isFloat(NDArray x) {
    return x.dtype() == dev.kbyoc.ir.DType.FLOAT32;
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
