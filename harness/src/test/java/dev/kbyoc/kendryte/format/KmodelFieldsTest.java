package dev.kbyoc.kendryte.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.kendryte.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Header and {@code kpu_layer_argument_t} values of yolo.kmodel, decoded by hand from the raw
 * little-endian words of the file using the bit positions declared in the SDK's kpu.h.
 */
class KmodelFieldsTest {
  /** Read per test, so a missing data file skips only the tests that need it (an assumption). */
  private static byte[] yolo() {
    return TestData.bytes("kmodel/yolo.kmodel");
  }

  @Test
  void headerAndTables() {
    Kmodel m = KmodelReader.read("yolo.kmodel", yolo());
    // kpu_kmodel_header_t: version 3, flags 1 (8-bit weights), arch 0, 17 layers, max_start 0,
    // main_mem_usage 43752 = 8752 (125*70 bytes, 8-aligned) + 35000 (125*70 floats), 1 output.
    assertEquals(3, m.version());
    assertEquals(1, m.flags());
    assertEquals(0, m.arch());
    assertEquals(17, m.layers().size());
    assertEquals(0, m.maxStartAddress());
    assertEquals(43752, m.mainMemUsage());
    assertEquals(List.of(new KmodelOutput(8752, 35000)), m.outputs());
    for (int i = 0; i < 16; i++) {
      assertEquals(LayerType.K210_CONV, m.layers().get(i).type());
    }
    CpuLayer last = (CpuLayer) m.layers().get(16);
    assertEquals(LayerType.CHANNELWISE_DEQUANTIZE, last.type());
    assertEquals(8752, last.u32("main_mem_out_address"));
    assertEquals(125, last.u32("channels"));
    assertEquals(70, last.u32("channel_size"));
    Kmodel iris = KmodelReader.read("iris.kmodel", TestData.bytes("kmodel/iris.kmodel"));
    CpuLayer fc = (CpuLayer) iris.layers().get(0);
    assertEquals(LayerType.FULLY_CONNECTED, fc.type());
    assertEquals(4, fc.u32("in_channels"));
    assertEquals(10, fc.u32("out_channels"));
    assertEquals(1, fc.u32("act"));
    assertEquals(16, fc.u32("main_mem_out_address"));
  }

  @Test
  void firstConvLayerArgument() {
    K210ConvLayer c = (K210ConvLayer) KmodelReader.read("yolo.kmodel", yolo()).layers().get(0);
    // kpu_model_conv_layer_argument_t at body offset 172: flags 0, out 0, offsets 200/384/896/1024.
    assertEquals(List.of(200L, 384L, 896L, 1024L), java.util.Arrays.stream(c.offsets()).boxed().toList());
    KpuLayerArgument a = c.argument();
    // image_addr = 0x71f0: image_src_addr (bits 0-14) = 0x71f0 = 29168, image_dst_addr (32-46) = 0.
    assertEquals(0x71f0L, a.register(1));
    assertEquals(29168, a.get(KpuField.IMAGE_SRC_ADDR));
    assertEquals(0, a.get(KpuField.IMAGE_DST_ADDR));
    // image_channel_num = 0xf000f00000002: i_ch_num 2, o_ch_num (32-41) 15, o_ch_num_coef (48-57) 15.
    assertEquals(0xf000f00000002L, a.register(2));
    assertEquals(3, a.inputChannels());
    assertEquals(16, a.outputChannels());
    assertEquals(15, a.get(KpuField.O_CH_NUM_COEF));
    // image_size = 0x1dc9f0003bd3f: i_row_wid 0x13f=319, i_col_high (10-18) 0xef=239,
    // o_row_wid (32-41) 0x9f=159, o_col_high (42-50) 0x77=119.
    assertEquals(0x1dc9f0003bd3fL, a.register(3));
    assertEquals(320, a.inputWidth());
    assertEquals(240, a.inputHeight());
    assertEquals(160, a.outputWidth());
    assertEquals(120, a.outputHeight());
    // kernel_pool_type_cfg = 0xf0411: kernel_type 1 (3x3), pad_type 0, pool_type (4-7) 1,
    // load_para (bit 10) 1, dma_burst_size (16-23) 15, pad_value (24-31) 0.
    assertEquals(0xf0411L, a.register(4));
    assertEquals(1, a.get(KpuField.KERNEL_TYPE));
    assertEquals(1, a.get(KpuField.POOL_TYPE));
    assertEquals(1, a.get(KpuField.LOAD_PARA));
    assertEquals(15, a.get(KpuField.DMA_BURST_SIZE));
    assertEquals(0, a.get(KpuField.PAD_VALUE));
    // kernel_load_cfg = 0xd80001: load_coor 1, load_time 0, para_size (15-31) 0x1b0 = 432 = 3*16*9.
    assertEquals(0xd80001L, a.register(5));
    assertEquals(1, a.get(KpuField.LOAD_COOR));
    assertEquals(432, a.get(KpuField.PARA_SIZE));
    // kernel_calc_type_cfg = 0x900504b0: channel_switch_addr 0x4b0 = 1200 = 5 lines * 240 rows,
    // row_switch_addr (16-19) 5, coef_group (28-30) 1, load_act (31) 1.
    assertEquals(0x900504b0L, a.register(7));
    assertEquals(1200, a.get(KpuField.CHANNEL_SWITCH_ADDR));
    assertEquals(5, a.get(KpuField.ROW_SWITCH_ADDR));
    assertEquals(1, a.get(KpuField.COEF_GROUP));
    assertEquals(1, a.get(KpuField.LOAD_ACT));
    // write_back_cfg = 0x130168: wb_channel_switch_addr 0x168 = 360 = 3 * 120, row 3, group 1.
    assertEquals(0x130168L, a.register(8));
    assertEquals(360, a.get(KpuField.WB_CHANNEL_SWITCH_ADDR));
    assertEquals(3, a.get(KpuField.WB_ROW_SWITCH_ADDR));
    assertEquals(1, a.get(KpuField.WB_GROUP));
    // conv_value = 0xbd0000000000f0: shr_w 0, shr_x (4-7) 15, arg_w (8-31) 0,
    // arg_x (32-55) 0xbd0000 -> two's complement 24-bit = 0xbd0000 - 0x1000000 = -4390912.
    assertEquals(0xbd0000000000f0L, a.register(9));
    assertEquals(0, a.get(KpuField.SHR_W));
    assertEquals(15, a.get(KpuField.SHR_X));
    assertEquals(0, a.get(KpuField.ARG_W));
    assertEquals(-4390912, a.get(KpuField.ARG_X));
    assertEquals(0, a.get(KpuField.ARG_ADD));
    // dma_parameter = 0x4afff4aff0000: channel_byte_num (16-31) 0x4aff = 19199 = 160*120-1,
    // dma_total_byte (32-63) 0x4afff = 307199 = 160*120*16-1.
    assertEquals(0x4afff4aff0000L, a.register(11));
    assertEquals(19199, a.get(KpuField.CHANNEL_BYTE_NUM));
    assertEquals(307199, a.get(KpuField.DMA_TOTAL_BYTE));
    assertEquals(432, c.weightBytes().length);
    assertEquals(16, c.batchNormRegisters().length);
  }

  @Test
  void secondLayerIsDepthwiseWithArgAdd() {
    K210ConvLayer c = (K210ConvLayer) KmodelReader.read("yolo.kmodel", yolo()).layers().get(1);
    KpuLayerArgument a = c.argument();
    // interrupt_enabe = 0x8: depth_wise_layer (bit 3) = 1; conv_value2 = 0x3b6a: arg_add 15210;
    // kernel_pool_type_cfg = 0xd0f0401: pool_type 0, pad_value (24-31) 0xd = 13.
    assertEquals(1, a.get(KpuField.DEPTH_WISE_LAYER));
    assertEquals(15210, a.get(KpuField.ARG_ADD));
    assertEquals(13, a.get(KpuField.PAD_VALUE));
    assertEquals(16 * 9, c.weightBytes().length);
  }

  @Test
  void builderSetsTheSameBits() {
    KpuLayerArgument a = KpuLayerArgument.zero().with(KpuField.I_ROW_WID, 319).with(KpuField.I_COL_HIGH, 239)
        .with(KpuField.O_ROW_WID, 159).with(KpuField.O_COL_HIGH, 119).with(KpuField.ARG_X, -4390912)
        .with(KpuField.SHR_X, 15);
    assertEquals(0x1dc9f0003bd3fL, a.register(3));
    assertEquals(0xbd0000000000f0L, a.register(9));
    KpuBatchNorm bn = new KpuBatchNorm(-5, 15, -7);
    // norm_mul 24 bits at 0, norm_add 32 bits at 24, norm_shift 4 bits at 56.
    assertEquals(0xFFFFFBL | (0xFFFFFFF9L << 24) | (15L << 56), bn.encode());
    assertEquals(bn, KpuBatchNorm.decode(bn.encode()));
  }
}
