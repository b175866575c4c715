package dev.kbyoc.kendryte.sim;

import dev.kbyoc.kendryte.format.KpuField;
import dev.kbyoc.kendryte.format.KpuLayerArgument;

/**
 * The register arguments and weight bytes of a hand-built K210_CONV layer whose input sits at the
 * start of KPU RAM and whose output follows it, for the simulator tests that build random layers.
 * The output size is the caller's, so a test can derive it independently of the pool unit.
 */
final class KpuTestLayers {
  private KpuTestLayers() {}

  /** A layer argument for an {@code ic x h x w} input and {@code oc x oh x ow} output. */
  static KpuLayerArgument argument(int ic, int oc, int h, int w, int oh, int ow, int k, boolean dw, int pool, int pad,
      long argX, int shX, long argW, int shW, long argAdd) {
    return KpuLayerArgument.zero().with(KpuField.DEPTH_WISE_LAYER, dw ? 1 : 0)
        .with(KpuField.IMAGE_SRC_ADDR, 0).with(KpuField.IMAGE_DST_ADDR, KpuLayout.lines(w, h, ic))
        .with(KpuField.I_CH_NUM, ic - 1).with(KpuField.O_CH_NUM, oc - 1)
        .with(KpuField.I_ROW_WID, w - 1).with(KpuField.I_COL_HIGH, h - 1)
        .with(KpuField.O_ROW_WID, ow - 1).with(KpuField.O_COL_HIGH, oh - 1)
        .with(KpuField.KERNEL_TYPE, k == 3 ? 1 : 0).with(KpuField.POOL_TYPE, pool).with(KpuField.PAD_VALUE, pad)
        .with(KpuField.ARG_X, argX).with(KpuField.SHR_X, shX).with(KpuField.ARG_W, argW).with(KpuField.SHR_W, shW)
        .with(KpuField.ARG_ADD, argAdd);
  }

  /** The weights as the kmodel stores them: one byte each, or two little-endian bytes each. */
  static byte[] weightBytes(int[] weights, boolean eightBit) {
    byte[] b = new byte[weights.length * (eightBit ? 1 : 2)];
    for (int i = 0; i < weights.length; i++) {
      if (eightBit) {
        b[i] = (byte) weights[i];
      } else {
        b[2 * i] = (byte) weights[i];
        b[2 * i + 1] = (byte) (weights[i] >> 8);
      }
    }
    return b;
  }
}
