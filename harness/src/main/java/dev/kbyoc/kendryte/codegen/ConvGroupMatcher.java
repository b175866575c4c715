package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.kendryte.KendryteRules;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one KPU conv group ({@link ConvGroup}) from the ops {@link RegionGraphMatcher} found:
 * {@code conv2d -> (bias_add | add const | batch_norm.0)* -> (relu | clip(0,6))? -> (max|avg)_pool2d?},
 * or the same without the conv2d as an identity (depthwise 1x1, weight 1) KPU layer. Every op must
 * pass {@link KendryteRules}; anything else is a one-line error naming the node.
 */
final class ConvGroupMatcher {
  private ConvGroupMatcher() {}

  static String describe(Expr e) {
    return e instanceof Call c ? c.describe() : e.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  static Call checked(Call c) {
    String r = KendryteRules.check(c);
    if (r != null) {
      throw new KbyocException("kendryte codegen: " + c.describe() + ": " + r);
    }
    return c;
  }

  /** {scale[], bias[]} of a per-channel affine node, or null when e is not one. */
  static double[][] affine(Expr e) {
    if (e instanceof TupleGetItem t && t.index() == 0 && t.tuple() instanceof Call bn && bn.isOp("nn.batch_norm")) {
      checked(bn);
      double[][] p = new double[4][];
      for (int i = 0; i < 4; i++) {
        if (!(bn.arg(i + 1) instanceof Constant k)) {
          throw new KbyocException("kendryte codegen: " + bn.describe() + " parameters are not constants");
        }
        p[i] = values(k.data());
      }
      Attrs at = bn.fullAttrs();
      double eps = at.getDouble("epsilon");
      int n = p[0].length;
      double[] scale = new double[n];
      double[] bias = new double[n];
      for (int i = 0; i < n; i++) {
        double g = at.getBool("scale") ? p[0][i] : 1;
        double b = at.getBool("center") ? p[1][i] : 0;
        scale[i] = g / Math.sqrt(p[3][i] + eps);
        bias[i] = b - p[2][i] * scale[i];
      }
      return new double[][] {scale, bias};
    }
    if (e instanceof Call c && (c.isOp("nn.bias_add") || c.isOp("add")) && c.arg(1) instanceof Constant k) {
      int ch = c.arg(0).tensorType().dim(1);
      int[] s = k.data().shape();
      boolean vector = c.arg(0).tensorType().rank() == 2 && s.length == 1;
      boolean perChannel = c.isOp("nn.bias_add") || k.data().size() == ch && (vector || s.length >= 3
          && s[s.length - 1] == 1 && s[s.length - 2] == 1);
      if (!perChannel) {
        return null;
      }
      if (c.isOp("nn.bias_add")) {
        checked(c);
      }
      double[] bias = values(k.data());
      double[] scale = new double[ch];
      Arrays.fill(scale, 1);
      return new double[][] {scale, bias};
    }
    return null;
  }

  static double[] values(NDArray a) {
    double[] r = new double[a.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = a.getDouble(i);
    }
    return r;
  }

  /** bias/batch_norm/activation/pool without a conv: a depthwise 1x1 conv with weight 1. */
  static ConvGroup identity(Expr in, List<double[][]> affine, int act, Call pool, String name) {
    int[] s = in.tensorType().shape();
    String r = KendryteRules.identityLimits(name, s);
    if (r != null) {
      throw new KbyocException("kendryte codegen: " + r);
    }
    float[] ones = new float[s[1]];
    Arrays.fill(ones, 1f);
    double[][] sb = fold(affine, s[1]);
    return new ConvGroup(s[1], s[1], s[2], s[3], 1, true, ones, sb[0], sb[1], act, poolType(pool), name);
  }

  static double[][] fold(List<double[][]> affine, int oc) {
    double[] scale = new double[oc];
    double[] bias = new double[oc];
    Arrays.fill(scale, 1);
    for (int i = affine.size() - 1; i >= 0; i--) {
      double[][] a = affine.get(i);
      for (int c = 0; c < oc; c++) {
        scale[c] *= a[0][c];
        bias[c] = bias[c] * a[0][c] + a[1][c];
      }
    }
    return new double[][] {scale, bias};
  }

  private static int poolType(Call pool) {
    if (pool == null) {
      return 0;
    }
    int p = pool.fullAttrs().getInts("pool_size")[0];
    int s = pool.fullAttrs().getInts("strides")[0];
    boolean max = pool.isOp("nn.max_pool2d");
    return s == 1 ? 9 : p == 4 ? (max ? 3 : 4) : (max ? 1 : 2);
  }

  static ConvGroup group(Call conv, NDArray w, List<double[][]> affine, int act, Call pool, String fnName) {
    int[] in = conv.arg(0).tensorType().shape();
    int[] out = conv.tensorType().shape();
    int[] ws = w.shape();
    int k = ws[2];
    boolean dw = conv.fullAttrs().getInt("groups") != 1;
    int stride = conv.fullAttrs().getInts("strides")[0];
    int oc = out[1];
    double[][] sb = fold(affine, oc);
    double[] scale = sb[0];
    double[] bias = sb[1];
    int poolType = poolType(pool);
    if (stride == 2) {
      if (pool != null) {
        throw new KbyocException("kendryte codegen: " + fnName + ": " + conv.describe()
            + " has stride 2 and a following pool; the KPU has one downsampling stage");
      }
      poolType = 5;
    }
    float[] wf = new float[w.size()];
    for (int i = 0; i < wf.length; i++) {
      wf[i] = (float) w.getDouble(i);
    }
    return new ConvGroup(in[1], oc, in[2], in[3], k, dw, wf, scale, bias, act, poolType, conv.describe());
  }
}
