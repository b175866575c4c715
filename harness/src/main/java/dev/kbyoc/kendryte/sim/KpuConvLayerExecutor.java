package dev.kbyoc.kendryte.sim;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.kendryte.format.K210ConvLayer;
import dev.kbyoc.kendryte.format.KpuField;
import dev.kbyoc.kendryte.format.KpuLayerArgument;

/**
 * Runs one K210_CONV layer the way the KPU does: read the input map from KPU RAM at
 * image_src_addr, convolve, batchnorm, activate, pool, write the output map to KPU RAM at
 * image_dst_addr and, with KLF_MAIN_MEM_OUT, also copy it (compact C x H x W bytes, as the SDK's
 * DMA of the output FIFO delivers it) to main memory at main_mem_out_address.
 */
final class KpuConvLayerExecutor {
  private KpuConvLayerExecutor() {}

  /**
   * Result: MAC count, KPU RAM bytes read + written, output shape (C, H, W), values, and (when
   * asked) the float-mode values computed from the same input, isolating this layer's rounding.
   */
  record Stats(long macs, long kpuBytes, int[] shape, double[] values, double[] isolatedFloat) {}

  /** {@code weightBytes}: 1 or 2 (KPU weights) or 4 (a float kmodel, {@link KpuFloatConvUnit}). */
  static Stats run(K210ConvLayer layer, int weightBytes, KpuRam ram, MainMemory main, SimMode mode, String who,
      boolean isolate) {
    return run(layer, weightBytes, ram, main, mode, who, isolate, KpuVectors.enabled());
  }

  /** As above; {@code vector} false forces the scalar convolution (the tests' reference). */
  static Stats run(K210ConvLayer layer, int weightBytes, KpuRam ram, MainMemory main, SimMode mode, String who,
      boolean isolate, boolean vector) {
    boolean eightBit = weightBytes == 1;
    KpuLayerArgument a = layer.argument();
    int ic = a.inputChannels();
    int oc = a.outputChannels();
    int h = a.inputHeight();
    int w = a.inputWidth();
    long kt = a.get(KpuField.KERNEL_TYPE);
    int pool = (int) a.get(KpuField.POOL_TYPE);
    if (kt > 1) {
      throw new KbyocException(who + ": kernel_type " + kt + " is not 0 (1x1) or 1 (3x3)");
    }
    if (a.get(KpuField.FIRST_STRIDE) != 0 || a.get(KpuField.BYPASS_CONV) != 0) {
      throw new KbyocException(who + ": first_stride/bypass_conv are set; their semantics are undocumented and"
          + " not simulated (nncase never sets them)");
    }
    if (pool > 9) {
      throw new KbyocException(who + ": pool_type " + pool + " is not a kpu_pool_type_t (0..9)");
    }
    if (a.depthwise() && ic != oc) {
      throw new KbyocException(who + ": depthwise layer with " + ic + " input but " + oc + " output channels");
    }
    int ow = KpuPoolUnit.outputSize(w, pool);
    int oh = KpuPoolUnit.outputSize(h, pool);
    if (ow != a.outputWidth() || oh != a.outputHeight()) {
      throw new KbyocException(who + ": pool " + KpuPoolUnit.NAMES[pool] + " of a " + h + "x" + w + " map gives "
          + oh + "x" + ow + " but the layer declares " + a.outputHeight() + "x" + a.outputWidth());
    }
    if (ow == 0 || oh == 0) {
      throw new KbyocException(who + ": pool " + KpuPoolUnit.NAMES[pool] + " of a " + h + "x" + w + " map is empty");
    }
    long src = a.get(KpuField.IMAGE_SRC_ADDR);
    long dst = a.get(KpuField.IMAGE_DST_ADDR);
    double[] x = ram.download(src, w, h, ic, who + " input");
    int k = a.kernelSize();
    KpuConvUnit.Params p = new KpuConvUnit.Params(ic, oc, h, w, k, a.depthwise(), (int) a.get(KpuField.PAD_VALUE),
        a.get(KpuField.ARG_X), (int) a.get(KpuField.SHR_X), a.get(KpuField.ARG_W), (int) a.get(KpuField.SHR_W),
        a.get(KpuField.ARG_ADD));
    double[] out = weightBytes == 4 ? KpuFloatConvUnit.run(layer, x, p, pool)
        : pipeline(layer, eightBit, x, p, pool, mode, vector);
    double[] isolated = isolate ? pipeline(layer, eightBit, x, p, pool, SimMode.FLOAT, false) : null;
    ram.upload(dst, out, ow, oh, oc, who + " output");
    if (layer.mainMemOut()) {
      long addr = layer.mainMemOutAddress();
      main.check(addr, out.length, who + " main_mem_out_address");
      for (int i = 0; i < out.length; i++) {
        main.putQ((int) addr + i, out[i]);
      }
    }
    long macs = (long) h * w * oc * k * k * (a.depthwise() ? 1 : ic);
    long kpuBytes = (KpuLayout.lines(w, h, ic) + KpuLayout.lines(ow, oh, oc)) * KpuLayout.LINE;
    return new Stats(macs, kpuBytes, new int[] {oc, oh, ow}, out, isolated);
  }

  private static double[] pipeline(K210ConvLayer layer, boolean eightBit, double[] x, KpuConvUnit.Params p, int pool,
      SimMode mode, boolean vector) {
    double[] acc = KpuConvUnit.convolve(x, layer.weightValues(eightBit), p, mode, vector);
    KpuBatchNormActUnit.apply(acc, p.height() * p.width(), layer.batchNorm(), layer.activation(), mode);
    return KpuPoolUnit.pool(acc, p.outChannels(), p.height(), p.width(), pool, mode);
  }
}
