package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.kendryte.KendryteRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Matches a typed single-input function whose body is a chain of KPU conv groups:
 * {@code conv2d -> (bias_add | add const | batch_norm.0)* -> (relu | clip(0,6))? -> (max|avg)_pool2d?}.
 * Every op must also pass {@link KendryteRules}; anything else is a one-line error naming the node.
 */
final class ConvChainMatcher {
  private ConvChainMatcher() {}

  static List<ConvGroup> match(Function fn, String fnName) {
    if (fn.params().size() != 1) {
      throw new KbyocException("kendryte codegen: " + fnName + " has " + fn.params().size()
          + " inputs; a kmodel takes exactly one");
    }
    Expr param = fn.params().get(0);
    List<ConvGroup> groups = new ArrayList<>();
    Expr e = fn.body();
    while (e != param) {
      Expr top = e;
      Call pool = null;
      if (e instanceof Call c && (c.isOp("nn.max_pool2d") || c.isOp("nn.avg_pool2d"))) {
        pool = checked(c);
        e = c.arg(0);
      }
      int act = 0;
      if (e instanceof Call c && (c.isOp("nn.relu") || c.isOp("clip"))) {
        checked(c);
        act = c.isOp("nn.relu") ? 1 : 2;
        e = c.arg(0);
      }
      List<double[][]> affine = new ArrayList<>();
      while (true) {
        double[][] a = affine(e);
        if (a == null) {
          break;
        }
        affine.add(a);
        e = e instanceof TupleGetItem t ? ((Call) t.tuple()).arg(0) : ((Call) e).arg(0);
      }
      if (!(e instanceof Call conv) || !conv.isOp("nn.conv2d")) {
        if (e != top) {
          groups.add(identity(e, affine, act, pool, describe(top)));
          continue;
        }
        throw new KbyocException("kendryte codegen: " + fnName + ": " + describe(e)
            + " is not part of a conv2d + bias/batch_norm + relu + pool chain");
      }
      checked(conv);
      if (!(conv.arg(1) instanceof Constant wc)) {
        throw new KbyocException("kendryte codegen: " + fnName + ": " + conv.describe()
            + " weights are not a constant (bind the params first)");
      }
      groups.add(group(conv, wc.data(), affine, act, pool, fnName));
      e = conv.arg(0);
    }
    if (groups.isEmpty()) {
      throw new KbyocException("kendryte codegen: " + fnName + " has no conv2d to offload");
    }
    Collections.reverse(groups);
    return groups;
  }

  private static String describe(Expr e) {
    return e instanceof Call c ? c.describe() : e.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  private static Call checked(Call c) {
    String r = KendryteRules.check(c);
    if (r != null) {
      throw new KbyocException("kendryte codegen: " + c.describe() + ": " + r);
    }
    return c;
  }

  /** {scale[], bias[]} of a per-channel affine node, or null when e is not one. */
  private static double[][] affine(Expr e) {
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
      boolean perChannel = c.isOp("nn.bias_add") || k.data().size() == ch && s.length >= 3
          && s[s.length - 1] == 1 && s[s.length - 2] == 1;
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

  private static double[] values(NDArray a) {
    double[] r = new double[a.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = a.getDouble(i);
    }
    return r;
  }

  /** bias/batch_norm/activation/pool without a conv: a depthwise 1x1 conv with weight 1. */
  private static ConvGroup identity(Expr in, List<double[][]> affine, int act, Call pool, String name) {
    int[] s = in.tensorType().shape();
    String r = dev.kbyoc.kendryte.KendryteRules.mapLimits(name, s);
    if (r != null) {
      throw new KbyocException("kendryte codegen: " + r);
    }
    float[] ones = new float[s[1]];
    Arrays.fill(ones, 1f);
    double[][] sb = fold(affine, s[1]);
    return new ConvGroup(s[1], s[1], s[2], s[3], 1, true, ones, sb[0], sb[1], act, poolType(pool), name);
  }

  private static double[][] fold(List<double[][]> affine, int oc) {
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

  private static ConvGroup group(Call conv, NDArray w, List<double[][]> affine, int act, Call pool, String fnName) {
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
