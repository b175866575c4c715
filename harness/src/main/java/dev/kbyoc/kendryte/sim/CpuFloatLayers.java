package dev.kbyoc.kendryte.sim;

import dev.kbyoc.kendryte.format.CpuLayer;

/**
 * The float32 CPU layers of the SDK's {@code kpu.c}, with its float32 arithmetic and evaluation
 * order (Java float operations are IEEE single like the K210's FPU; {@code expf} is computed as
 * the correctly rounded float of {@code Math.exp}, which may differ from newlib by one ulp). Each
 * method checks its memory ranges and returns the output shape (C, H, W) or a 1-D length.
 */
final class CpuFloatLayers {
  private CpuFloatLayers() {}

  static int[] add(CpuLayer l, MainMemory m, String who) {
    int count = LayerFields.count(l, "count");
    int a = LayerFields.addr(l, "main_mem_in_a_address");
    int b = LayerFields.addr(l, "main_mem_in_b_address");
    int o = LayerFields.addr(l, "main_mem_out_address");
    m.check(a, 4L * count, who + " input a");
    m.check(b, 4L * count, who + " input b");
    m.check(o, 4L * count, who + " output");
    for (int i = 0; i < count; i++) {
      m.putF32(o + 4 * i, m.getF32(a + 4 * i) + m.getF32(b + 4 * i));
    }
    return new int[] {count};
  }

  /**
   * GLOBAL_AVERAGE_POOL2D (SDK) and GLOBAL_MAX_POOL2D (kbyoc, same layout). The SDK sums in float32;
   * {@link SimMode#FLOAT} sums in double (only the result is float32), like the host kernels, so
   * a float kmodel equals the host to float32 rounding.
   */
  static int[] globalPool(CpuLayer l, MainMemory m, boolean max, SimMode mode, String who) {
    int ch = LayerFields.count(l, "channels");
    int k = LayerFields.count(l, "kernel_size");
    int in = LayerFields.addr(l, "main_mem_in_address");
    int o = LayerFields.addr(l, "main_mem_out_address");
    m.check(in, 4L * ch * k, who + " input");
    m.check(o, 4L * ch, who + " output");
    boolean wide = mode == SimMode.FLOAT;
    for (int c = 0; c < ch; c++) {
      float acc = max ? Float.NEGATIVE_INFINITY : 0f;
      double wideAcc = 0;
      for (int i = 0; i < k; i++) {
        float v = m.getF32(in + 4 * (c * k + i));
        acc = max ? Math.max(acc, v) : acc + v;
        wideAcc += v;
      }
      m.putF32(o + 4 * c, max ? acc : wide ? (float) (wideAcc / k) : acc / k);
    }
    return new int[] {ch, 1, 1};
  }

  /**
   * MAX_POOL2D (nncase layout) and AVERAGE_POOL2D (SDK): windows clipped to the input; the
   * average divides by the in-bounds count. The SDK's average pool ignores {@code act}; so does
   * kbyoc, for both.
   */
  static int[] pool2d(CpuLayer l, MainMemory m, boolean max, String who) {
    int iw = LayerFields.count(l, "in_width");
    int ih = LayerFields.count(l, "in_height");
    int ow = LayerFields.count(l, "out_width");
    int oh = LayerFields.count(l, "out_height");
    int oc = LayerFields.count(l, "out_channels");
    int kw = LayerFields.count(l, "kernel_width");
    int kh = LayerFields.count(l, "kernel_height");
    int sw = LayerFields.count(l, "stride_width");
    int sh = LayerFields.count(l, "stride_height");
    int pw = LayerFields.count(l, "padding_width");
    int ph = LayerFields.count(l, "padding_height");
    int in = LayerFields.addr(l, "main_mem_in_address");
    int o = LayerFields.addr(l, "main_mem_out_address");
    m.check(in, 4L * iw * ih * oc, who + " input");
    m.check(o, 4L * ow * oh * oc, who + " output");
    int d = o;
    for (int c = 0; c < oc; c++) {
      int cb = in + 4 * iw * ih * c;
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          int xo = ox * sw - pw;
          int yo = oy * sh - ph;
          float v = max ? Float.NEGATIVE_INFINITY : 0f;
          float cnt = 0;
          for (int ky = Math.max(0, -yo); ky < Math.min(kh, ih - yo); ky++) {
            for (int kx = Math.max(0, -xo); kx < Math.min(kw, iw - xo); kx++) {
              float x = m.getF32(cb + 4 * ((yo + ky) * iw + xo + kx));
              v = max ? Math.max(v, x) : v + x;
              cnt++;
            }
          }
          m.putF32(d, max ? v : v / cnt);
          d += 4;
        }
      }
    }
    return new int[] {oc, oh, ow};
  }

  /** L2_NORMALIZATION, SOFTMAX or LOGISTIC over {@code channels} floats. */
  static int[] vector(CpuLayer l, MainMemory m, String kind, String who) {
    int ch = LayerFields.count(l, "channels");
    int in = LayerFields.addr(l, "main_mem_in_address");
    int o = LayerFields.addr(l, "main_mem_out_address");
    m.check(in, 4L * ch, who + " input");
    m.check(o, 4L * ch, who + " output");
    float[] s = new float[ch];
    for (int i = 0; i < ch; i++) {
      s[i] = m.getF32(in + 4 * i);
    }
    float[] d = new float[ch];
    switch (kind) {
      case "l2" -> {
        float sum = 0f;
        for (float v : s) {
          sum += v * v;
        }
        sum = Math.max(sum, 1e-10f);
        sum = 1f / (float) Math.sqrt(sum);
        for (int i = 0; i < ch; i++) {
          d[i] = s[i] * sum;
        }
      }
      case "softmax" -> {
        float mx = Float.MIN_NORMAL;
        for (float v : s) {
          mx = Math.max(mx, v);
        }
        float sum = 0f;
        for (int i = 0; i < ch; i++) {
          d[i] = (float) Math.exp(s[i] - mx);
          sum += d[i];
        }
        for (int i = 0; i < ch; i++) {
          d[i] /= sum;
        }
      }
      default -> {
        for (int i = 0; i < ch; i++) {
          d[i] = 1f / (1f + (float) Math.exp(-s[i]));
        }
      }
    }
    for (int i = 0; i < ch; i++) {
      m.putF32(o + 4 * i, d[i]);
    }
    return new int[] {ch};
  }

  /**
   * FULLY_CONNECTED: dest = sum(src * w) + bias, then relu/relu6 per {@code act}; float32 sums as
   * the SDK (multiply, then add); in {@link SimMode#FLOAT} float32 fused multiply-adds in input
   * order, then the bias added in float32, exactly as the host's {@code nn.dense} and
   * {@code nn.bias_add} ({@link dev.kbyoc.op.Kernel}).
   */
  static int[] fullyConnected(CpuLayer l, MainMemory m, SimMode mode, String who) {
    int ic = LayerFields.count(l, "in_channels");
    int oc = LayerFields.count(l, "out_channels");
    int in = LayerFields.addr(l, "main_mem_in_address");
    int o = LayerFields.addr(l, "main_mem_out_address");
    m.check(in, 4L * ic, who + " input");
    m.check(o, 4L * oc, who + " output");
    float[] wb = l.tailFloats();
    float[] src = new float[ic];
    for (int i = 0; i < ic; i++) {
      src[i] = m.getF32(in + 4 * i);
    }
    long act = l.u32("act");
    boolean fusedSums = mode == SimMode.FLOAT;
    for (int c = 0; c < oc; c++) {
      float sum = 0f;
      for (int i = 0; i < ic; i++) {
        sum = fusedSums ? Math.fma(src[i], wb[c * ic + i], sum) : sum + src[i] * wb[c * ic + i];
      }
      float v = sum + wb[ic * oc + c];
      if (act == 1) {
        v = Math.max(v, 0f);
      } else if (act == 2) {
        v = Math.min(Math.max(v, 0f), 6f);
      }
      m.putF32(o + 4 * c, v);
    }
    return new int[] {oc};
  }

  /** TENSORFLOW_FLATTEN (elem 4) and QUANTIZED_TENSORFLOW_FLATTEN (elem 1): CHW to HWC order. */
  static int[] flatten(CpuLayer l, MainMemory m, int elem, String who) {
    int w = LayerFields.count(l, "width");
    int h = LayerFields.count(l, "height");
    int c = LayerFields.count(l, "channels");
    int in = LayerFields.addr(l, "main_mem_in_address");
    int o = LayerFields.addr(l, "main_mem_out_address");
    long total = (long) w * h * c;
    m.check(in, elem * total, who + " input");
    m.check(o, elem * total, who + " output");
    int d = o;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int ch = 0; ch < c; ch++) {
          int s = in + elem * ((ch * h + y) * w + x);
          if (elem == 4) {
            m.putF32(d, m.getF32(s));
          } else {
            m.copy(s, d, 1);
          }
          d += elem;
        }
      }
    }
    return new int[] {(int) total};
  }

  /** RESIZE_NEAREST_NEIGHBOR (elem 4) and its quantized twin (elem 1), SDK float index math. */
  static int[] resizeNearest(CpuLayer l, MainMemory m, int elem, String who) {
    int iw = LayerFields.count(l, "in_width");
    int ih = LayerFields.count(l, "in_height");
    int c = LayerFields.count(l, "in_channels");
    int ow = LayerFields.count(l, "out_width");
    int oh = LayerFields.count(l, "out_height");
    int in = LayerFields.addr(l, "main_mem_in_address");
    int o = LayerFields.addr(l, "main_mem_out_address");
    m.check(in, (long) elem * iw * ih * c, who + " input");
    m.check(o, (long) elem * ow * oh * c, who + " output");
    float hs = (float) ih / oh;
    float ws = (float) iw / ow;
    int d = o;
    for (int ch = 0; ch < c; ch++) {
      for (int oy = 0; oy < oh; oy++) {
        int y = (int) Math.min((float) Math.floor(oy * hs), ih - 1);
        for (int ox = 0; ox < ow; ox++) {
          int x = (int) Math.min((float) Math.floor(ox * ws), iw - 1);
          int s = in + elem * ((ch * ih + y) * iw + x);
          if (elem == 4) {
            m.putF32(d, m.getF32(s));
          } else {
            m.copy(s, d, 1);
          }
          d += elem;
        }
      }
    }
    return new int[] {c, oh, ow};
  }
}
