package dev.kbyoc.kendryte.codegen;

import java.util.List;

/**
 * Calibration of a {@link RegionGraph}: runs every node in float (double) on each calibration
 * sample and records each node's [min, max], from which the lowering derives the uint8
 * {@link QuantParam} of every tensor it keeps in uint8.
 */
final class RegionCalibrator {
  private RegionCalibrator() {}

  /** {@code [node id][0 = min, 1 = max]} over all samples (each sample: the input's C*H*W values). */
  static double[][] ranges(RegionGraph g, List<double[]> samples) {
    double[][] r = new double[g.nodes().size()][];
    for (int i = 0; i < r.length; i++) {
      r[i] = new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    }
    for (double[] x : samples) {
      double[][] v = run(g, x);
      for (int i = 0; i < r.length; i++) {
        for (double d : v[i]) {
          r[i][0] = Math.min(r[i][0], d);
          r[i][1] = Math.max(r[i][1], d);
        }
      }
    }
    return r;
  }

  /** Every node's float output for one input. */
  static double[][] run(RegionGraph g, double[] x) {
    double[][] v = new double[g.nodes().size()][];
    for (RegionNode n : g.nodes()) {
      v[n.id()] = switch (n.kind()) {
        case INPUT -> x;
        case CONV -> FloatConvGroup.run(n.conv(), v[n.input(0).id()]);
        case ADD -> add(v[n.input(0).id()], v[n.input(1).id()], n.act());
        case CONCAT -> concat(n, v);
        case RESIZE -> resize(v[n.input(0).id()], n.input(0).shape(), n.shape());
        case GLOBAL_AVG_POOL -> globalAvgPool(v[n.input(0).id()], n.shape()[0]);
        case FLATTEN -> v[n.input(0).id()];
        case DENSE -> dense(n, v[n.input(0).id()]);
        case SOFTMAX -> softmax(v[n.input(0).id()]);
      };
    }
    return v;
  }

  static double act(double v, int act) {
    return act == 0 ? v : act == 1 ? Math.max(0, v) : Math.min(6, Math.max(0, v));
  }

  private static double[] add(double[] a, double[] b, int act) {
    double[] r = new double[a.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = act(a[i] + b[i], act);
    }
    return r;
  }

  /** Channel concatenation of NCHW maps is the concatenation of their C x H x W arrays. */
  private static double[] concat(RegionNode n, double[][] v) {
    double[] r = new double[n.size()];
    int at = 0;
    for (RegionNode in : n.inputs()) {
      double[] s = v[in.id()];
      System.arraycopy(s, 0, r, at, s.length);
      at += s.length;
    }
    return r;
  }

  /** Nearest neighbour, asymmetric coordinates, floor: {@code src = floor(dst * (in / out))} in float32. */
  private static double[] resize(double[] x, int[] in, int[] out) {
    int c = in[0];
    int ih = in[1];
    int iw = in[2];
    int oh = out[1];
    int ow = out[2];
    float hs = (float) ih / oh;
    float ws = (float) iw / ow;
    double[] r = new double[c * oh * ow];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < oh; y++) {
        int sy = Math.min((int) Math.floor(y * hs), ih - 1);
        for (int xx = 0; xx < ow; xx++) {
          int sx = Math.min((int) Math.floor(xx * ws), iw - 1);
          r[(ch * oh + y) * ow + xx] = x[(ch * ih + sy) * iw + sx];
        }
      }
    }
    return r;
  }

  private static double[] globalAvgPool(double[] x, int c) {
    int k = x.length / c;
    double[] r = new double[c];
    for (int ch = 0; ch < c; ch++) {
      double s = 0;
      for (int i = 0; i < k; i++) {
        s += x[ch * k + i];
      }
      r[ch] = s / k;
    }
    return r;
  }

  private static double[] dense(RegionNode n, double[] x) {
    int units = n.bias().length;
    double[] r = new double[units];
    for (int o = 0; o < units; o++) {
      double s = n.bias()[o];
      for (int i = 0; i < x.length; i++) {
        s += (double) n.weights()[o * x.length + i] * x[i];
      }
      r[o] = act(s, n.act());
    }
    return r;
  }

  private static double[] softmax(double[] x) {
    double m = Double.NEGATIVE_INFINITY;
    for (double d : x) {
      m = Math.max(m, d);
    }
    double[] r = new double[x.length];
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      r[i] = Math.exp(x[i] - m);
      s += r[i];
    }
    for (int i = 0; i < x.length; i++) {
      r[i] /= s;
    }
    return r;
  }
}
