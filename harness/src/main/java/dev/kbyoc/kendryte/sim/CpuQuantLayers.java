package dev.kbyoc.kendryte.sim;

import dev.kbyoc.kendryte.format.CpuLayer;

/**
 * The CPU layers that read or write uint8 tensors: the SDK's QUANTIZE, DEQUANTIZE,
 * CHANNELWISE_DEQUANTIZE, QUANTIZED_ADD, REQUANTIZE, QUANTIZED_MAX_POOL2D, CONCAT,
 * K210_ADD_PADDING, K210_REMOVE_PADDING and K210_UPLOAD, plus the kbyoc-defined quantized pools and
 * QUANTIZED_FULLY_CONNECTED (see {@link dev.kbyoc.kendryte.format.LayerSchema}). In float mode each
 * rounding step is replaced by its exact value. The SDK's QUANTIZED_ADD processes the count
 * rounded up to 8 (touching up to 7 bytes past the tensor); kbyoc processes exactly count.
 */
final class CpuQuantLayers {
  private CpuQuantLayers() {}

  /** QUANTIZE: q = clamp(roundf((x - bias) * (1 / scale))), float32 arithmetic. */
  static int[] quantize(CpuLayer l, MainMemory m, SimMode mode, String who) {
    int count = LayerFields.count(l, "count");
    int in = LayerFields.addr(l, "main_mem_in_address");
    int o = LayerFields.addr(l, "mem_out_address");
    m.check(in, 4L * count, who + " input");
    m.check(o, count, who + " output");
    float scale = 1f / l.f32("scale");
    float bias = l.f32("bias");
    for (int i = 0; i < count; i++) {
      float v = (m.getF32(in + 4 * i) - bias) * scale;
      m.putQ(o + i, mode == SimMode.UINT8 ? Shifts.clampU8(roundf(v)) : v);
    }
    return new int[] {count};
  }

  /** C's roundf: half away from zero. */
  static long roundf(float v) {
    return (long) (Math.signum(v) * Math.floor(Math.abs((double) v) + 0.5));
  }

  /** DEQUANTIZE: x = q * scale + bias in float32. */
  static int[] dequantize(CpuLayer l, MainMemory m, String who) {
    int count = LayerFields.count(l, "count");
    int in = LayerFields.addr(l, "main_mem_in_address");
    int o = LayerFields.addr(l, "main_mem_out_address");
    m.check(in, count, who + " input");
    m.check(o, 4L * count, who + " output");
    float s = l.f32("scale");
    float b = l.f32("bias");
    for (int i = 0; i < count; i++) {
      m.putF32(o + 4 * i, (float) m.getQ(in + i) * s + b);
    }
    return new int[] {count};
  }

  /** CHANNELWISE_DEQUANTIZE: each channel with its own (scale, bias). */
  static int[] channelwiseDequantize(CpuLayer l, MainMemory m, String who) {
    int ch = LayerFields.count(l, "channels");
    int size = LayerFields.count(l, "channel_size");
    int in = LayerFields.addr(l, "main_mem_in_address");
    int o = LayerFields.addr(l, "main_mem_out_address");
    m.check(in, (long) ch * size, who + " input");
    m.check(o, 4L * ch * size, who + " output");
    float[] q = l.tailFloats();
    int i = 0;
    for (int c = 0; c < ch; c++) {
      for (int k = 0; k < size; k++, i++) {
        m.putF32(o + 4 * i, (float) m.getQ(in + i) * q[2 * c] + q[2 * c + 1]);
      }
    }
    return new int[] {ch, size};
  }

  /** QUANTIZED_ADD with the SDK's two shift orders and carry-shifted output. */
  static int[] quantizedAdd(CpuLayer l, MainMemory m, SimMode mode, String who) {
    int count = LayerFields.count(l, "count");
    int ia = LayerFields.addr(l, "main_mem_in_a_address");
    int ib = LayerFields.addr(l, "main_mem_in_b_address");
    int o = LayerFields.addr(l, "main_mem_out_address");
    m.check(ia, count, who + " input a");
    m.check(ib, count, who + " input b");
    m.check(o, count, who + " output");
    long offA = l.i32("in_a_offset");
    long mulA = l.i32("in_a_mul");
    int shA = l.i32("in_a_shift");
    long offB = l.i32("in_b_offset");
    long mulB = l.i32("in_b_mul");
    int shB = l.i32("in_b_shift");
    long offO = l.i32("out_offset");
    long mulO = l.i32("out_mul");
    int shO = l.i32("out_shift");
    for (int i = 0; i < count; i++) {
      if (mode == SimMode.UINT8) {
        long va = ((long) m.getQ(ia + i) + offA) * mulA;
        long vb = ((long) m.getQ(ib + i) + offB) * mulB;
        long v = shA == shB ? Shifts.floorShift(va + vb, shA) : Shifts.floorShift(va, shA) + Shifts.floorShift(vb, shB);
        v = Shifts.carryShift(v * mulO, shO) + offO;
        m.putQ(o + i, Shifts.clampU8(v));
      } else {
        double v = Shifts.exactShift((m.getQ(ia + i) + offA) * mulA, shA)
            + Shifts.exactShift((m.getQ(ib + i) + offB) * mulB, shB);
        m.putQ(o + i, Shifts.exactShift(v * mulO, shO) + offO);
      }
    }
    return new int[] {count};
  }

  /** REQUANTIZE: a 256-entry table; float mode interpolates between entries. */
  static int[] requantize(CpuLayer l, MainMemory m, SimMode mode, String who) {
    int count = LayerFields.count(l, "count");
    int in = LayerFields.addr(l, "main_mem_in_address");
    int o = LayerFields.addr(l, "main_mem_out_address");
    m.check(in, count, who + " input");
    m.check(o, count, who + " output");
    byte[] t = l.tail();
    for (int i = 0; i < count; i++) {
      double x = m.getQ(in + i);
      int lo = (int) Math.floor(x);
      int hi = Math.min(255, lo + 1);
      double v = t[lo] & 0xFF;
      if (mode == SimMode.FLOAT && hi != lo) {
        v += (x - lo) * ((t[hi] & 0xFF) - v);
      }
      m.putQ(o + i, v);
    }
    return new int[] {count};
  }

  /** QUANTIZED_GLOBAL_{MAX,AVERAGE}_POOL2D (kbyoc): the average rounds half up. */
  static int[] globalPool(CpuLayer l, MainMemory m, boolean max, SimMode mode, String who) {
    int ch = LayerFields.count(l, "channels");
    int k = LayerFields.count(l, "kernel_size");
    int in = LayerFields.addr(l, "main_mem_in_address");
    int o = LayerFields.addr(l, "main_mem_out_address");
    m.check(in, (long) ch * k, who + " input");
    m.check(o, ch, who + " output");
    for (int c = 0; c < ch; c++) {
      double acc = 0;
      for (int i = 0; i < k; i++) {
        double v = m.getQ(in + c * k + i);
        acc = max ? Math.max(acc, v) : acc + v;
      }
      m.putQ(o + c, max ? acc : average(acc, k, mode));
    }
    return new int[] {ch, 1, 1};
  }

  private static double average(double sum, int count, SimMode mode) {
    return mode == SimMode.UINT8 ? ((long) sum + count / 2) / count : sum / count;
  }

  /** QUANTIZED_MAX_POOL2D (SDK: start at 0, clipped windows) and QUANTIZED_AVERAGE_POOL2D (kbyoc). */
  static int[] pool2d(CpuLayer l, MainMemory m, boolean max, SimMode mode, String who) {
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
    m.check(in, (long) iw * ih * oc, who + " input");
    m.check(o, (long) ow * oh * oc, who + " output");
    int d = o;
    for (int c = 0; c < oc; c++) {
      int cb = in + iw * ih * c;
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          int xo = ox * sw - pw;
          int yo = oy * sh - ph;
          double v = 0;
          int cnt = 0;
          for (int ky = Math.max(0, -yo); ky < Math.min(kh, ih - yo); ky++) {
            for (int kx = Math.max(0, -xo); kx < Math.min(kw, iw - xo); kx++) {
              double x = m.getQ(cb + (yo + ky) * iw + xo + kx);
              v = max ? Math.max(v, x) : v + x;
              cnt++;
            }
          }
          m.putQ(d++, max || cnt == 0 ? v : average(v, cnt, mode));
        }
      }
    }
    return new int[] {oc, oh, ow};
  }

  /** CONCAT / QUANTIZED_CONCAT: memcpy of each input range, in order. */
  static int[] concat(CpuLayer l, MainMemory m, String who) {
    int o = LayerFields.addr(l, "main_mem_out_address");
    int[] r = l.tailInts();
    long total = 0;
    for (int i = 0; i < r.length; i += 2) {
      total += Integer.toUnsignedLong(r[i + 1]);
    }
    m.check(o, total, who + " output");
    int d = o;
    for (int i = 0; i < r.length; i += 2) {
      long start = Integer.toUnsignedLong(r[i]);
      int size = r[i + 1];
      m.check(start, Integer.toUnsignedLong(size), who + " input " + i / 2);
      m.copy((int) start, d, size);
      d += size;
    }
    return new int[] {(int) total};
  }

  /**
   * QUANTIZED_FULLY_CONNECTED (kbyoc): acc = sum((x + input_offset) * (w + weights_offset)) + bias,
   * out = clamp(carry_shift(acc * output_mul, output_shift) + output_offset).
   */
  static int[] quantizedFullyConnected(CpuLayer l, MainMemory m, SimMode mode, String who) {
    int ic = LayerFields.count(l, "in_channels");
    int oc = LayerFields.count(l, "out_channels");
    int in = LayerFields.addr(l, "main_mem_in_address");
    int o = LayerFields.addr(l, "main_mem_out_address");
    m.check(in, ic, who + " input");
    m.check(o, oc, who + " output");
    byte[] t = l.tail();
    java.nio.ByteBuffer bias = java.nio.ByteBuffer.wrap(t, ic * oc, 4 * oc).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long inOff = l.i32("input_offset");
    long wOff = l.i32("weights_offset");
    long mul = l.i32("output_mul");
    int sh = l.i32("output_shift");
    long outOff = l.i32("output_offset");
    for (int c = 0; c < oc; c++) {
      double acc = bias.getInt(ic * oc + 4 * c);
      for (int i = 0; i < ic; i++) {
        acc += (m.getQ(in + i) + inOff) * ((t[c * ic + i] & 0xFF) + wOff);
      }
      m.putQ(o + c, mode == SimMode.UINT8 ? Shifts.clampU8(Shifts.carryShift((long) acc * mul, sh) + outOff)
          : Shifts.exactShift(acc * mul, sh) + outOff);
    }
    return new int[] {oc};
  }

  /** K210_ADD_PADDING: channel c's byte goes to (0, 0) of a 4-row, width-16-layout KPU map. */
  static int[] addPadding(CpuLayer l, MainMemory m, KpuRam ram, String who) {
    int ch = LayerFields.count(l, "channels");
    int in = LayerFields.addr(l, "main_mem_in_address");
    long line = l.u32("kpu_mem_out_address");
    m.check(in, ch, who + " input");
    long base = line * KpuLayout.LINE;
    KpuRam.checkBytes(base, (long) ((ch + 3) / 4) * 4 * KpuLayout.LINE, who + " output");
    for (int c = 0; c < ch; c++) {
      ram.put((int) (base + (long) (c / 4) * 4 * KpuLayout.LINE + (c % 4) * 16), m.getQ(in + c));
    }
    return new int[] {ch, 4, 4};
  }

  /** K210_REMOVE_PADDING: dest[c] = src[c * 16]. */
  static int[] removePadding(CpuLayer l, MainMemory m, String who) {
    int ch = LayerFields.count(l, "channels");
    int in = LayerFields.addr(l, "main_mem_in_address");
    int o = LayerFields.addr(l, "main_mem_out_address");
    m.check(in, 16L * Math.max(0, ch - 1) + 1, who + " input");
    m.check(o, ch, who + " output");
    for (int c = 0; c < ch; c++) {
      m.putQ(o + c, m.getQ(in + 16 * c));
    }
    return new int[] {ch, 1, 1};
  }

  /** K210_UPLOAD: a compact C x H x W uint8 map into KPU RAM's layout. */
  static int[] upload(CpuLayer l, MainMemory m, KpuRam ram, String who) {
    int w = LayerFields.count(l, "width");
    int h = LayerFields.count(l, "height");
    int c = LayerFields.count(l, "channels");
    int in = LayerFields.addr(l, "main_mem_in_address");
    m.check(in, (long) w * h * c, who + " input");
    double[] v = new double[w * h * c];
    for (int i = 0; i < v.length; i++) {
      v[i] = m.getQ(in + i);
    }
    ram.upload(l.u32("kpu_mem_out_address"), v, w, h, c, who + " output");
    return new int[] {c, h, w};
  }
}
