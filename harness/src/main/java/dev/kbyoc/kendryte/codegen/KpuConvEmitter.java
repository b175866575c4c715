package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.kendryte.format.K210ConvLayer;
import dev.kbyoc.kendryte.format.KpuField;
import dev.kbyoc.kendryte.format.KpuLayerArgument;
import dev.kbyoc.kendryte.sim.KpuLayout;
import dev.kbyoc.kendryte.sim.KpuPoolUnit;

/**
 * The K210_CONV layer of one quantized {@link ConvGroup}: its {@code kpu_layer_argument_t}
 * registers as nncase v0.1's generator fills them, at given KPU RAM lines, optionally also writing
 * the output map to main memory (KLF_MAIN_MEM_OUT, compact C x H x W uint8); uint8 or float variant.
 */
final class KpuConvEmitter {
  private KpuConvEmitter() {}

  /**
   * The layer reading the map at {@code inLine} and writing it at {@code outLine} (and {@code mainOut}
   * when >= 0); {@code q} null gives the float variant ({@link FloatKpuLayer}).
   */
  static K210ConvLayer conv(ConvGroup g, KpuQuantizer.Layer q, long inLine, long outLine, long mainOut) {
    long flags = mainOut >= 0 ? K210ConvLayer.FLAG_MAIN_MEM_OUT : 0;
    KpuLayerArgument arg = registers(g, outShape(g), q, inLine, outLine);
    return q == null ? FloatKpuLayer.of(g, flags, Math.max(0, mainOut), arg)
        : K210ConvLayer.of(flags, Math.max(0, mainOut), arg, q.weights(), q.bn(), q.act());
  }

  static int[] outShape(ConvGroup g) {
    return new int[] {g.outC(), KpuPoolUnit.outputSize(g.h(), g.pool()), KpuPoolUnit.outputSize(g.w(), g.pool())};
  }

  /**
   * The kpu_layer_argument_t as nncase v0.1's generator fills it; {@code q} null (float variant)
   * leaves the quantization fields 0.
   */
  static KpuLayerArgument registers(ConvGroup g, int[] os, KpuQuantizer.Layer q, long inLine, long outLine) {
    KpuLayout il = KpuLayout.of(g.w());
    KpuLayout ol = KpuLayout.of(os[2]);
    int oneChannel = g.k() * g.k() * g.inC();
    int perLoad = g.depthwise() ? g.outC() : Math.max(1, Math.min(g.outC(), 30 * 1024 / oneChannel));
    int loads = g.depthwise() ? 1 : (g.outC() + perLoad - 1) / perLoad;
    int loadSize = g.depthwise() ? g.outC() * g.k() * g.k() : oneChannel * perLoad;
    KpuLayerArgument r = KpuLayerArgument.zero()
        .with(KpuField.DEPTH_WISE_LAYER, g.depthwise() ? 1 : 0)
        .with(KpuField.IMAGE_SRC_ADDR, inLine).with(KpuField.IMAGE_DST_ADDR, outLine)
        .with(KpuField.I_CH_NUM, g.inC() - 1).with(KpuField.O_CH_NUM, g.outC() - 1)
        .with(KpuField.O_CH_NUM_COEF, perLoad - 1)
        .with(KpuField.I_ROW_WID, g.w() - 1).with(KpuField.I_COL_HIGH, g.h() - 1)
        .with(KpuField.O_ROW_WID, os[2] - 1).with(KpuField.O_COL_HIGH, os[1] - 1)
        .with(KpuField.KERNEL_TYPE, g.k() == 3 ? 1 : 0).with(KpuField.POOL_TYPE, g.pool())
        .with(KpuField.LOAD_PARA, 1).with(KpuField.DMA_BURST_SIZE, 15)
        .with(KpuField.LOAD_COOR, 1).with(KpuField.LOAD_TIME, loads - 1).with(KpuField.PARA_SIZE, loadSize)
        .with(KpuField.CHANNEL_SWITCH_ADDR, (long) il.rowLen() * g.h()).with(KpuField.ROW_SWITCH_ADDR, il.rowLen())
        .with(KpuField.COEF_GROUP, il.groups()).with(KpuField.LOAD_ACT, 1)
        .with(KpuField.WB_CHANNEL_SWITCH_ADDR, (long) ol.rowLen() * os[1])
        .with(KpuField.WB_ROW_SWITCH_ADDR, ol.rowLen()).with(KpuField.WB_GROUP, ol.groups())
        .with(KpuField.CHANNEL_BYTE_NUM, (long) os[1] * os[2] - 1)
        .with(KpuField.DMA_TOTAL_BYTE, (long) os[0] * os[1] * os[2] - 1);
    return q == null ? r : r.with(KpuField.PAD_VALUE, q.padValue())
        .with(KpuField.SHR_W, q.shiftW()).with(KpuField.SHR_X, q.shiftX())
        .with(KpuField.ARG_W, q.argW()).with(KpuField.ARG_X, q.argX()).with(KpuField.ARG_ADD, q.argAdd());
  }
}
