package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.kendryte.format.CpuLayer;
import dev.kbyoc.kendryte.format.LayerType;

/**
 * The uint8 CPU layers of a kmodel v3 as the SDK's {@code kpu.h} lays them out and nncase
 * v0.1.0-rc5 fills them ({@code Converters/Layers/*.cs}): QUANTIZE, DEQUANTIZE, K210_UPLOAD,
 * QUANTIZED_ADD, REQUANTIZE, QUANTIZED_CONCAT and QUANTIZED_RESIZE_NEAREST_NEIGHBOR. {@code flags}
 * is KLF_MAIN_MEM_OUT (1) where nncase sets it, else 0. Quantization is {@code real = (q - zero)
 * scale} ({@link QuantParam}).
 */
final class QuantLayerEmitter {
  /** KLF_MAIN_MEM_OUT, which nncase sets on most CPU layers. */
  static final int MAIN_MEM_OUT = 1;

  private QuantLayerEmitter() {}

  /** QUANTIZE: {@code q = roundf((x - bias) / scale)} with the SDK's bias = -zero * scale. */
  static CpuLayer quantize(long in, long out, int count, QuantParam q) {
    return CpuLayer.builder(LayerType.QUANTIZE).set("main_mem_in_address", in).set("mem_out_address", out)
        .set("count", count).setFloat("scale", (float) q.scale()).setFloat("bias", (float) q.bias()).build();
  }

  /** DEQUANTIZE: {@code x = q * scale + bias}. */
  static CpuLayer dequantize(long in, long out, int count, QuantParam q) {
    return CpuLayer.builder(LayerType.DEQUANTIZE).set("flags", MAIN_MEM_OUT).set("main_mem_in_address", in)
        .set("main_mem_out_address", out).set("count", count).setFloat("scale", (float) q.scale())
        .setFloat("bias", (float) q.bias()).build();
  }

  /** K210_UPLOAD: a compact C x H x W uint8 map into KPU RAM at a line. */
  static CpuLayer upload(long in, long line, int[] chw) {
    return CpuLayer.builder(LayerType.K210_UPLOAD).set("main_mem_in_address", in).set("kpu_mem_out_address", line)
        .set("width", chw[2]).set("height", chw[1]).set("channels", chw[0]).build();
  }

  /**
   * QUANTIZED_ADD. nncase multiplies each input by the other's scale (common unit Sa Sb); kbyoc
   * uses the unit {@code U = max(Sa, Sb) / 2^16} and one shift of 14 for both inputs, so the SDK
   * takes its single-shift path: {@code in_x_mul / 2^14 = Sx / U}, {@code out_mul / 2^out_shift =
   * U / So} with out_mul below 2^31. The SDK's {@code kpu_carry_shift} rounds a negative odd
   * intermediate down by one more step, so the offsets keep the sum non-negative: {@code in_x_offset
   * = kx >= 0} (not {@code -zx}) with the pair (ka, kb) in [0, 255]^2 that makes {@code zo - ((ka +
   * za) Sa + (kb + zb) Sb) / So} closest to an integer, which is {@code out_offset}. The sum is below
   * 2^26 and the product below 2^57, inside the SDK's int64 arithmetic.
   */
  static CpuLayer quantizedAdd(long a, long b, long out, int count, QuantParam qa, QuantParam qb, QuantParam qo) {
    double unit = Math.max(qa.scale(), qb.scale()) / (1 << 16);
    int sh = 14;
    long mulA = Math.round(qa.scale() / unit * (1 << sh));
    long mulB = Math.round(qb.scale() / unit * (1 << sh));
    double ratio = unit / qo.scale();
    int shO = 0;
    while (shO < 62 && Math.round(ratio * Math.scalb(1.0, shO + 1)) < (1L << 31)) {
      shO++;
    }
    long mulO = Math.round(ratio * Math.scalb(1.0, shO));
    int bestA = 0;
    int bestB = 0;
    double bestFrac = 1;
    for (int ka = 0; ka < 256 && bestFrac > 1e-9; ka++) {
      for (int kb = 0; kb < 256; kb++) {
        double c = qo.zero() - ((ka + qa.zero()) * qa.scale() + (kb + qb.zero()) * qb.scale()) / qo.scale();
        double frac = Math.abs(c - Math.rint(c));
        if (frac < bestFrac) {
          bestFrac = frac;
          bestA = ka;
          bestB = kb;
        }
      }
    }
    long outOffset = Math.round(qo.zero() - ((bestA + qa.zero()) * qa.scale() + (bestB + qb.zero()) * qb.scale())
        / qo.scale());
    return CpuLayer.builder(LayerType.QUANTIZED_ADD).set("flags", MAIN_MEM_OUT).set("main_mem_in_a_address", a)
        .set("main_mem_in_b_address", b).set("main_mem_out_address", out).set("count", count)
        .set("in_a_offset", bestA).set("in_a_mul", mulA).set("in_a_shift", sh)
        .set("in_b_offset", bestB).set("in_b_mul", mulB).set("in_b_shift", sh)
        .set("out_offset", outOffset).set("out_mul", mulO).set("out_shift", shO).build();
  }

  /** REQUANTIZE: nncase's table, {@code table[q] = clamp(round((q - zi) Si / So + zo))}. */
  static CpuLayer requantize(long in, long out, int count, QuantParam qi, QuantParam qo) {
    return CpuLayer.builder(LayerType.REQUANTIZE).set("flags", MAIN_MEM_OUT).set("main_mem_in_address", in)
        .set("main_mem_out_address", out).set("count", count).tail(table(qi, qo)).build();
  }

  static byte[] table(QuantParam qi, QuantParam qo) {
    byte[] t = new byte[256];
    for (int q = 0; q < 256; q++) {
      t[q] = (byte) qo.quantize((q - qi.zero()) * qi.scale());
    }
    return t;
  }

  /**
   * CONCAT or QUANTIZED_CONCAT: the SDK copies each {@code kpu_model_memory_range_t} (start, size
   * in bytes) after the previous one; on NCHW maps that is the channel concatenation.
   */
  static CpuLayer concat(LayerType type, long out, long[] starts, long[] sizes) {
    int[] tail = new int[2 * starts.length];
    for (int i = 0; i < starts.length; i++) {
      tail[2 * i] = (int) starts[i];
      tail[2 * i + 1] = (int) sizes[i];
    }
    return CpuLayer.builder(type).set("flags", MAIN_MEM_OUT).set("main_mem_out_address", out)
        .set("input_count", starts.length).tailInts(tail).build();
  }

  /** RESIZE_NEAREST_NEIGHBOR or its quantized twin (align_corners 0), from {@code [C, H, W]} shapes. */
  static CpuLayer resizeNearest(LayerType type, long in, long out, int[] inChw, int[] outChw) {
    return CpuLayer.builder(type).set("main_mem_in_address", in).set("main_mem_out_address", out)
        .set("in_width", inChw[2]).set("in_height", inChw[1]).set("in_channels", inChw[0])
        .set("out_width", outChw[2]).set("out_height", outChw[1]).set("align_corners", 0).build();
  }
}
