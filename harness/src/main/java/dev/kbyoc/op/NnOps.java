package dev.kbyoc.op;

import dev.kbyoc.ir.AttrKind;
import dev.kbyoc.ir.AttrSpec;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.TupleType;
import dev.kbyoc.ir.TupleValue;
import dev.kbyoc.ir.Type;
import java.util.List;

/**
 * Neural-network layers other than convolution and pooling: {@code nn.dense},
 * {@code nn.batch_matmul}, {@code nn.bias_add}, {@code nn.batch_norm} (a 3-tuple, inference semantics; float32 as
 * {@link BatchNormInference}, other dtypes in double), {@code nn.softmax},
 * {@code nn.batch_flatten} and {@code nn.dropout} (a 2-tuple, identity at inference). Attributes
 * and patterns as TVM v0.8 registers them.
 */
public final class NnOps {
  private NnOps() {}

  static List<OpDef> defs() {
    return List.of(dense(), batchMatmul(), biasAdd(), batchNorm(), softmax(), batchFlatten(), dropout());
  }

  /**
   * {@code nn.batch_matmul(x[B, M, K], y[B, N, K]) -> [B, M, N]} (TVM v0.8: {@code transpose_b}
   * defaults to true; with {@code transpose_a} x is {@code [B, K, M]}, without {@code transpose_b}
   * y is {@code [B, K, N]}). A batch of 1 on either side broadcasts, as TVM's relation allows.
   */
  private static OpDef batchMatmul() {
    return OpDef.builder("nn.batch_matmul")
        .inputs(2)
        .attr(AttrSpec.string("out_dtype", ""))
        .attr(AttrSpec.bool("transpose_a", false))
        .attr(AttrSpec.bool("transpose_b", true))
        .type((args, attrs) -> {
          TensorType x = Types.tensor(args, 0);
          TensorType y = Types.tensor(args, 1);
          if (x.rank() != 3 || y.rank() != 3) {
            throw new KbyocException("x and y must have rank 3, got x " + x + " and y " + y);
          }
          Types.sameDtype(x, y, "y");
          int[] d = matmulDims(x.shape(), y.shape(), attrs.getBool("transpose_a"), attrs.getBool("transpose_b"));
          if (x.dim(0) != y.dim(0) && x.dim(0) != 1 && y.dim(0) != 1) {
            throw new KbyocException("batch dims of x " + x + " and y " + y + " differ and neither is 1");
          }
          if (d[2] != d[3]) {
            throw new KbyocException("reduction dims differ: x " + x + " gives " + d[2] + ", y " + y + " gives " + d[3]);
          }
          return new TensorType(new int[] {Math.max(x.dim(0), y.dim(0)), d[0], d[1]}, Types.outDtype(attrs, x.dtype()));
        })
        .kernel((args, attrs, out) -> {
          NDArray x = args.get(0).asTensor();
          NDArray y = args.get(1).asTensor();
          boolean ta = attrs.getBool("transpose_a");
          boolean tb = attrs.getBool("transpose_b");
          int[] d = matmulDims(x.shape(), y.shape(), ta, tb);
          int m = d[0];
          int n = d[1];
          int k = d[2];
          int[] os = ((TensorType) out).shape();
          NDArray o = NDArray.zeros(((TensorType) out).dtype(), os);
          for (int b = 0; b < os[0]; b++) {
            int bx = x.dim(0) == 1 ? 0 : b;
            int by = y.dim(0) == 1 ? 0 : b;
            for (int i = 0; i < m; i++) {
              for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                  double xv = x.getDouble(bx * m * k + (ta ? p * m + i : i * k + p));
                  double yv = y.getDouble(by * n * k + (tb ? j * k + p : p * n + j));
                  acc += xv * yv;
                }
                o.setDouble((b * m + i) * n + j, acc);
              }
            }
          }
          return o;
        })
        .pattern(OpPattern.OUT_ELEMWISE_FUSABLE)
        .build();
  }

  /** {M, N, K of x, K of y} of a batch_matmul. */
  private static int[] matmulDims(int[] x, int[] y, boolean ta, boolean tb) {
    return new int[] {ta ? x[2] : x[1], tb ? y[1] : y[2], ta ? x[1] : x[2], tb ? y[2] : y[1]};
  }

  /** {@code nn.dense(data[..., K], weight[units, K]) -> [..., units]}: data times weight transposed. */
  private static OpDef dense() {
    return OpDef.builder("nn.dense")
        .inputs(2)
        .attr(new AttrSpec("units", AttrKind.INT, null))
        .attr(AttrSpec.string("out_dtype", ""))
        .type((args, attrs) -> {
          TensorType data = Types.tensor(args, 0);
          TensorType w = Types.tensor(args, 1);
          if (data.rank() < 1 || w.rank() != 2) {
            throw new KbyocException("data must have rank >= 1 and weight rank 2, got data " + data + " and weight " + w);
          }
          Types.sameDtype(data, w, "weight");
          int k = data.dim(data.rank() - 1);
          if (w.dim(1) != k) {
            throw new KbyocException("data's last dim " + k + " does not match weight dim 1 in weight " + w);
          }
          if (attrs.has("units") && attrs.getLong("units") != w.dim(0)) {
            throw new KbyocException("units=" + attrs.getLong("units") + " does not match weight dim 0 in weight " + w);
          }
          int[] s = data.shape();
          s[s.length - 1] = w.dim(0);
          return new TensorType(s, Types.outDtype(attrs, data.dtype()));
        })
        .kernel((args, attrs, out) -> {
          NDArray x = args.get(0).asTensor();
          NDArray w = args.get(1).asTensor();
          int units = w.dim(0);
          int k = w.dim(1);
          int[] os = ((TensorType) out).shape();
          int rows = 1;
          for (int d = 0; d < os.length - 1; d++) {
            rows *= os[d];
          }
          NDArray y = NDArray.zeros(((TensorType) out).dtype(), os);
          boolean f32 = Kernel.accumulatesInFloat(x, w, out);
          for (int r = 0; r < rows; r++) {
            for (int u = 0; u < units; u++) {
              double acc = 0;
              float facc = 0f;
              for (int i = 0; i < k; i++) {
                if (f32) {
                  facc = Math.fma((float) x.getDouble(r * k + i), (float) w.getDouble(u * k + i), facc);
                } else {
                  acc += x.getDouble(r * k + i) * w.getDouble(u * k + i);
                }
              }
              y.setDouble(r * units + u, f32 ? facc : acc);
            }
          }
          return y;
        })
        .pattern(OpPattern.OUT_ELEMWISE_FUSABLE)
        .build();
  }

  /** A 1-D per-channel parameter of length {@code c} and the data's dtype. */
  private static void channelVector(List<Type> args, int i, String what, TensorType data, int c) {
    TensorType v = Types.tensor(args, i);
    if (v.rank() != 1 || v.dim(0) != c || v.dtype() != data.dtype()) {
      throw new KbyocException(what + " must be Tensor[(" + c + ",), " + data.dtype() + "] to match data " + data
          + " on the channel axis, got " + v);
    }
  }

  /** {@code nn.bias_add(data, bias, axis=1)}: adds the 1-D bias along {@code axis}. */
  private static OpDef biasAdd() {
    return OpDef.builder("nn.bias_add")
        .inputs(2)
        .attr(AttrSpec.integer("axis", 1))
        .type((args, attrs) -> {
          TensorType data = Types.tensor(args, 0);
          int axis = Types.axis(attrs.getInt("axis"), data.rank());
          channelVector(args, 1, "bias", data, data.dim(axis));
          return data;
        })
        .kernel((args, attrs, out) -> {
          NDArray x = args.get(0).asTensor();
          NDArray b = args.get(1).asTensor();
          int[] a = Types.aroundAxis(x.shape(), Types.axis(attrs.getInt("axis"), x.rank()));
          NDArray y = NDArray.zeros(x.dtype(), x.shape());
          for (int i = 0; i < x.size(); i++) {
            y.setDouble(i, x.getDouble(i) + b.getDouble(i / a[2] % a[1]));
          }
          return y;
        })
        .pattern(OpPattern.BROADCAST)
        .build();
  }

  /**
   * {@code nn.batch_norm(data, gamma, beta, moving_mean, moving_var)} at inference:
   * {@code (x - mean) / sqrt(var + epsilon) * gamma + beta} along {@code axis} ({@code gamma}
   * used only when {@code scale}, {@code beta} only when {@code center}); returns
   * {@code (out, moving_mean, moving_var)} as Relay does.
   */
  private static OpDef batchNorm() {
    return OpDef.builder("nn.batch_norm")
        .inputs(5)
        .attr(AttrSpec.integer("axis", 1))
        .attr(AttrSpec.real("epsilon", 1e-5))
        .attr(AttrSpec.bool("center", true))
        .attr(AttrSpec.bool("scale", true))
        .type((args, attrs) -> {
          TensorType data = Types.floatTensor(args, 0, -1);
          int c = data.dim(Types.axis(attrs.getInt("axis"), data.rank()));
          String[] names = {"gamma", "beta", "moving_mean", "moving_var"};
          for (int i = 0; i < 4; i++) {
            channelVector(args, i + 1, names[i], data, c);
          }
          TensorType vec = new TensorType(new int[] {c}, data.dtype());
          return TupleType.of(data, vec, vec);
        })
        .kernel((args, attrs, out) -> {
          NDArray x = args.get(0).asTensor();
          NDArray gamma = args.get(1).asTensor();
          NDArray beta = args.get(2).asTensor();
          NDArray mean = args.get(3).asTensor();
          NDArray var = args.get(4).asTensor();
          int[] a = Types.aroundAxis(x.shape(), Types.axis(attrs.getInt("axis"), x.rank()));
          double eps = attrs.getDouble("epsilon");
          boolean center = attrs.getBool("center");
          boolean scale = attrs.getBool("scale");
          NDArray y = NDArray.zeros(x.dtype(), x.shape());
          if (x.dtype() == DType.FLOAT32) {
            float[] s = BatchNormInference.scale(gamma.floatData(), var.floatData(), attrs);
            float[] t = BatchNormInference.shift(beta.floatData(), mean.floatData(), s, attrs);
            float[] xs = x.floatData();
            float[] ys = y.floatData();
            for (int i = 0; i < xs.length; i++) {
              int c = i / a[2] % a[1];
              ys[i] = BatchNormInference.apply(xs[i], s[c], t[c]);
            }
            return new TupleValue(List.of(y, mean.copy(), var.copy()));
          }
          for (int i = 0; i < x.size(); i++) {
            int c = i / a[2] % a[1];
            double v = (x.getDouble(i) - mean.getDouble(c)) / Math.sqrt(var.getDouble(c) + eps);
            v = (scale ? v * gamma.getDouble(c) : v) + (center ? beta.getDouble(c) : 0);
            y.setDouble(i, v);
          }
          return new TupleValue(List.of(y, mean.copy(), var.copy()));
        })
        .pattern(OpPattern.OPAQUE)
        .build();
  }

  /** {@code nn.softmax(data, axis=-1)}: exp(x - max) / sum(exp(x - max)) along {@code axis}. */
  private static OpDef softmax() {
    return OpDef.builder("nn.softmax")
        .attr(AttrSpec.integer("axis", -1))
        .type((args, attrs) -> {
          TensorType t = Types.floatTensor(args, 0, -1);
          Types.axis(attrs.getInt("axis"), t.rank());
          return t;
        })
        .kernel((args, attrs, out) -> {
          NDArray x = args.get(0).asTensor();
          int[] a = Types.aroundAxis(x.shape(), Types.axis(attrs.getInt("axis"), x.rank()));
          NDArray y = NDArray.zeros(x.dtype(), x.shape());
          for (int o = 0; o < a[0]; o++) {
            for (int j = 0; j < a[2]; j++) {
              double max = Double.NEGATIVE_INFINITY;
              for (int i = 0; i < a[1]; i++) {
                max = Math.max(max, x.getDouble((o * a[1] + i) * a[2] + j));
              }
              double sum = 0;
              for (int i = 0; i < a[1]; i++) {
                sum += Math.exp(x.getDouble((o * a[1] + i) * a[2] + j) - max);
              }
              for (int i = 0; i < a[1]; i++) {
                int idx = (o * a[1] + i) * a[2] + j;
                y.setDouble(idx, Math.exp(x.getDouble(idx) - max) / sum);
              }
            }
          }
          return y;
        })
        .pattern(OpPattern.OUT_ELEMWISE_FUSABLE)
        .build();
  }

  /** {@code nn.batch_flatten(data[N, ...]) -> [N, product of the rest]}. */
  private static OpDef batchFlatten() {
    return OpDef.builder("nn.batch_flatten")
        .type((args, attrs) -> {
          TensorType t = Types.tensor(args, 0);
          if (t.rank() < 1) {
            throw new KbyocException("data must have rank >= 1, got " + t);
          }
          long rest = 1;
          for (int d = 1; d < t.rank(); d++) {
            rest *= t.dim(d);
          }
          return new TensorType(new int[] {t.dim(0), Math.toIntExact(rest)}, t.dtype());
        })
        .kernel((args, attrs, out) -> args.get(0).asTensor().copy().reshape(((TensorType) out).shape()))
        .pattern(OpPattern.INJECTIVE)
        .build();
  }

  /** {@code nn.dropout(data, rate=0.5)}: at inference (data, mask of ones), as Relay's 2-tuple. */
  private static OpDef dropout() {
    return OpDef.builder("nn.dropout")
        .attr(AttrSpec.real("rate", 0.5))
        .type((args, attrs) -> {
          TensorType t = Types.tensor(args, 0);
          double rate = attrs.getDouble("rate");
          if (rate < 0 || rate > 1) {
            throw new KbyocException("attribute [rate] must be in [0, 1], got " + rate);
          }
          return TupleType.of(t, t);
        })
        .kernel((args, attrs, out) -> {
          NDArray x = args.get(0).asTensor();
          NDArray mask = NDArray.zeros(x.dtype(), x.shape());
          for (int i = 0; i < mask.size(); i++) {
            mask.setDouble(i, 1);
          }
          return new TupleValue(List.of(x.copy(), mask));
        })
        .pattern(OpPattern.OPAQUE)
        .build();
  }
}
