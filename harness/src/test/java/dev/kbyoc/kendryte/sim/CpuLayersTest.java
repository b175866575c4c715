package dev.kbyoc.kendryte.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.kendryte.format.CpuLayer;
import dev.kbyoc.kendryte.format.LayerType;
import org.junit.jupiter.api.Test;

/** CPU layers against values worked by hand from the SDK's kpu.c code. */
class CpuLayersTest {
  final MainMemory m = new MainMemory(256, SimMode.UINT8);
  final KpuRam ram = new KpuRam(SimMode.UINT8);

  int[] run(CpuLayer l) {
    return CpuLayerExecutor.run(l, m, ram, SimMode.UINT8, "test");
  }

  void bytes(int at, int... v) {
    for (int i = 0; i < v.length; i++) {
      m.putQ(at + i, v[i]);
    }
  }

  void floats(int at, float... v) {
    for (int i = 0; i < v.length; i++) {
      m.putF32(at + 4 * i, v[i]);
    }
  }

  @Test
  void quantizedAddBothShiftOrders() {
    bytes(0, 10, 0);
    bytes(8, 20, 0);
    // Equal shifts: ((10-5)*3 + (20+2)*1) >> 1 = 37 >> 1 = 18; 18*5 = 90; carry_shift(90, 2):
    // 90 >> 1 = 45 (odd) -> (45 >> 1) + 1 = 23; + (-3) = 20.
    CpuLayer eq = CpuLayer.builder(LayerType.QUANTIZED_ADD).set("main_mem_in_a_address", 0)
        .set("main_mem_in_b_address", 8).set("main_mem_out_address", 16).set("count", 1)
        .set("in_a_offset", -5).set("in_a_mul", 3).set("in_a_shift", 1).set("in_b_offset", 2).set("in_b_mul", 1)
        .set("in_b_shift", 1).set("out_offset", -3).set("out_mul", 5).set("out_shift", 2).build();
    run(eq);
    assertEquals(20, m.getQ(16));
    // Unequal shifts, negative: a = (0-5)*1 >> 0 = -5, b = 0; v = -5; carry_shift(-5, 2):
    // -5 >> 1 = -3 (odd, negative) -> (-3 >> 1) - 1 = -3; + 10 = 7 (SDK quirk: not -1 + 10 = 9).
    CpuLayer neq = CpuLayer.builder(LayerType.QUANTIZED_ADD).set("main_mem_in_a_address", 1)
        .set("main_mem_in_b_address", 9).set("main_mem_out_address", 17).set("count", 1)
        .set("in_a_offset", -5).set("in_a_mul", 1).set("in_a_shift", 0).set("in_b_offset", 0).set("in_b_mul", 1)
        .set("in_b_shift", 1).set("out_offset", 10).set("out_mul", 1).set("out_shift", 2).build();
    run(neq);
    assertEquals(7, m.getQ(17));
  }

  @Test
  void quantizeDequantizeRequantize() {
    floats(0, 0.24f, 0.25f, -2f, 200f);
    // q = roundf((x - (-1)) / 0.5): 2.48 -> 2, 2.5 -> 3 (half away from zero), -2 -> 0, 402 -> 255.
    run(CpuLayer.builder(LayerType.QUANTIZE).set("main_mem_in_address", 0).set("mem_out_address", 32)
        .set("count", 4).setFloat("scale", 0.5f).setFloat("bias", -1f).build());
    assertEquals(2, m.getQ(32));
    assertEquals(3, m.getQ(33));
    assertEquals(0, m.getQ(34));
    assertEquals(255, m.getQ(35));
    // 3 * 0.5 + (-1) = 0.5
    run(CpuLayer.builder(LayerType.DEQUANTIZE).set("main_mem_in_address", 33).set("main_mem_out_address", 40)
        .set("count", 1).setFloat("scale", 0.5f).setFloat("bias", -1f).build());
    assertEquals(0.5f, m.getF32(40));
    byte[] table = new byte[256];
    for (int i = 0; i < 256; i++) {
      table[i] = (byte) (255 - i);
    }
    bytes(48, 0, 7, 255);
    run(CpuLayer.builder(LayerType.REQUANTIZE).set("main_mem_in_address", 48).set("main_mem_out_address", 56)
        .set("count", 3).tail(table).build());
    assertEquals(255, m.getQ(56));
    assertEquals(248, m.getQ(57));
    assertEquals(0, m.getQ(58));
  }

  @Test
  void concatFlattenResize() {
    bytes(0, 1, 2, 3);
    bytes(10, 8, 9);
    run(CpuLayer.builder(LayerType.CONCAT).set("main_mem_out_address", 20).set("input_count", 2)
        .tailInts(10, 2, 0, 3).build());
    for (int i = 0; i < 5; i++) {
      assertEquals(new int[] {8, 9, 1, 2, 3}[i], m.getQ(20 + i));
    }
    // CHW [c0: 1 2 | c1: 3 4] (h=1, w=2) -> HWC [1 3 2 4]
    floats(32, 1, 2, 3, 4);
    run(CpuLayer.builder(LayerType.TENSORFLOW_FLATTEN).set("main_mem_in_address", 32).set("main_mem_out_address", 64)
        .set("width", 2).set("height", 1).set("channels", 2).build());
    assertEquals(java.util.List.of(1f, 3f, 2f, 4f),
        java.util.List.of(m.getF32(64), m.getF32(68), m.getF32(72), m.getF32(76)));
    // 2x2 -> 3x3 nearest: scale 2/3; rows/cols 0,1,2 -> floor(0), floor(0.667), floor(1.333) = 0, 0, 1.
    bytes(100, 1, 2, 3, 4);
    int[] shape = run(CpuLayer.builder(LayerType.QUANTIZED_RESIZE_NEAREST_NEIGHBOR).set("main_mem_in_address", 100)
        .set("main_mem_out_address", 110).set("in_width", 2).set("in_height", 2).set("in_channels", 1)
        .set("out_width", 3).set("out_height", 3).build());
    int[] want = {1, 1, 2, 1, 1, 2, 3, 3, 4};
    for (int i = 0; i < 9; i++) {
      assertEquals(want[i], m.getQ(110 + i), "pixel " + i);
    }
    assertEquals(java.util.List.of(1, 3, 3), java.util.Arrays.stream(shape).boxed().toList());
  }

  @Test
  void vectorLayers() {
    floats(0, 0f, (float) Math.log(3));
    run(CpuLayer.builder(LayerType.SOFTMAX).set("main_mem_in_address", 0).set("main_mem_out_address", 8)
        .set("channels", 2).build());
    assertEquals(0.25f, m.getF32(8), 1e-7f);
    assertEquals(0.75f, m.getF32(12), 1e-7f);
    floats(16, 3f, 4f);
    run(CpuLayer.builder(LayerType.L2_NORMALIZATION).set("main_mem_in_address", 16).set("main_mem_out_address", 24)
        .set("channels", 2).build());
    assertEquals(0.6f, m.getF32(24), 1e-7f);
    assertEquals(0.8f, m.getF32(28), 1e-7f);
    floats(32, 1f, 2f, 3f, 4f);
    run(CpuLayer.builder(LayerType.GLOBAL_AVERAGE_POOL2D).set("main_mem_in_address", 32)
        .set("main_mem_out_address", 48).set("kernel_size", 2).set("channels", 2).build());
    assertEquals(1.5f, m.getF32(48));
    assertEquals(3.5f, m.getF32(52));
    floats(56, 0f);
    run(CpuLayer.builder(LayerType.LOGISTIC).set("main_mem_in_address", 56).set("main_mem_out_address", 60)
        .set("channels", 1).build());
    assertEquals(0.5f, m.getF32(60));
    // channelwise: channel 0 (scale 2, bias 1), channel 1 (scale -1, bias 0); q = [3, 4 | 5, 6]
    bytes(64, 3, 4, 5, 6);
    run(CpuLayer.builder(LayerType.CHANNELWISE_DEQUANTIZE).set("main_mem_in_address", 64)
        .set("main_mem_out_address", 72).set("channels", 2).set("channel_size", 2).tailFloats(2f, 1f, -1f, 0f).build());
    assertEquals(java.util.List.of(7f, 9f, -5f, -6f),
        java.util.List.of(m.getF32(72), m.getF32(76), m.getF32(80), m.getF32(84)));
  }

  @Test
  void poolsAndFullyConnected() {
    // 1 channel 2x3 map, max 2x2 stride 2 no padding -> 1x1 = max(1,5,2,7) = 7 (third column unused).
    bytes(0, 1, 5, 9, 2, 7, 3);
    run(CpuLayer.builder(LayerType.QUANTIZED_MAX_POOL2D).set("main_mem_in_address", 0).set("main_mem_out_address", 8)
        .set("in_width", 3).set("in_height", 2).set("in_channels", 1).set("out_width", 1).set("out_height", 1)
        .set("out_channels", 1).set("kernel_width", 2).set("kernel_height", 2).set("stride_width", 2)
        .set("stride_height", 2).build());
    assertEquals(7, m.getQ(8));
    // FC 2 -> 2 with relu: [1, -2] . rows [1, 1], [2, 0] + bias [0.5, -3] = [-0.5 -> 0, -1 -> 0]? use [3, 1]:
    // row0: 3 + 1 + 0.5 = 4.5; row1: 6 + 0 - 3 = 3.
    floats(16, 3f, 1f);
    run(CpuLayer.builder(LayerType.FULLY_CONNECTED).set("main_mem_in_address", 16).set("main_mem_out_address", 24)
        .set("in_channels", 2).set("out_channels", 2).set("act", 1).tailFloats(1, 1, 2, 0, 0.5f, -3).build());
    assertEquals(4.5f, m.getF32(24));
    assertEquals(3f, m.getF32(28));
  }

  @Test
  void kpuTransfers() {
    // ADD_PADDING: channel c -> byte line*64 + (c/4)*4*64 + (c%4)*16 of KPU RAM.
    bytes(0, 11, 12, 13, 14, 15, 16);
    run(CpuLayer.builder(LayerType.K210_ADD_PADDING).set("main_mem_in_address", 0).set("kpu_mem_out_address", 10)
        .set("channels", 6).build());
    assertEquals(11, ram.get(640));
    assertEquals(14, ram.get(640 + 48));
    assertEquals(16, ram.get(640 + 256 + 16));
    // REMOVE_PADDING: dest[c] = src[c * 16]
    bytes(32, 0);
    bytes(48, 99);
    run(CpuLayer.builder(LayerType.K210_REMOVE_PADDING).set("main_mem_in_address", 32).set("main_mem_out_address", 80)
        .set("channels", 2).build());
    assertEquals(99, m.getQ(81));
    // UPLOAD width 20 (2 channels per line, 32-byte pitch): channel 1 row 0 x 3 at byte 32 + 3.
    for (int i = 0; i < 2 * 20; i++) {
      m.putQ(100 + i, i);
    }
    run(CpuLayer.builder(LayerType.K210_UPLOAD).set("main_mem_in_address", 100).set("kpu_mem_out_address", 0)
        .set("width", 20).set("height", 1).set("channels", 2).build());
    assertEquals(23, ram.get(32 + 3));
    assertEquals(19, ram.get(19));
  }

  @Test
  void kbyocDefinedAndFloatPools() {
    // QUANTIZED_FULLY_CONNECTED: x = [10, 20], input_offset -10 -> [0, 10]; w rows [1, 2], [3, 4] with
    // weights_offset -1 -> [0, 1], [2, 3]; bias [5, -7]: acc0 = 0 + 10 + 5 = 15, acc1 = 0 + 30 - 7 = 23;
    // out = carry_shift(acc * 3, 1) + 2: 45 >> 0 = 45 is odd -> (45 >> 1) + 1 = 23, + 2 = 25;
    // 69 is odd -> 34 + 1 = 35, + 2 = 37.
    bytes(0, 10, 20);
    java.nio.ByteBuffer t = java.nio.ByteBuffer.allocate(4 + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    t.put(new byte[] {1, 2, 3, 4}).putInt(5).putInt(-7);
    run(CpuLayer.builder(LayerType.QUANTIZED_FULLY_CONNECTED).set("main_mem_in_address", 0)
        .set("main_mem_out_address", 8).set("in_channels", 2).set("out_channels", 2).set("input_offset", -10)
        .set("weights_offset", -1).set("output_mul", 3).set("output_shift", 1).set("output_offset", 2)
        .tail(t.array()).build());
    assertEquals(25, m.getQ(8));
    assertEquals(37, m.getQ(9));
    // QUANTIZED_GLOBAL_AVERAGE_POOL2D: (1 + 2 + 4 + 4) = 11 / 4 = 2.75 -> round half up 3.
    bytes(16, 1, 2, 4, 4);
    run(CpuLayer.builder(LayerType.QUANTIZED_GLOBAL_AVERAGE_POOL2D).set("main_mem_in_address", 16)
        .set("main_mem_out_address", 24).set("kernel_size", 4).set("channels", 1).build());
    assertEquals(3, m.getQ(24));
    run(CpuLayer.builder(LayerType.QUANTIZED_GLOBAL_MAX_POOL2D).set("main_mem_in_address", 16)
        .set("main_mem_out_address", 25).set("kernel_size", 4).set("channels", 1).build());
    assertEquals(4, m.getQ(25));
    // AVERAGE_POOL2D 2x2 stride 1 padding 1 on a 1x1 map [8]: every window sees only the 8 -> 8 (SDK
    // divides by the in-bounds count); output 2x2.
    floats(32, 8f);
    run(CpuLayer.builder(LayerType.AVERAGE_POOL2D).set("main_mem_in_address", 32).set("main_mem_out_address", 40)
        .set("in_width", 1).set("in_height", 1).set("in_channels", 1).set("out_width", 2).set("out_height", 2)
        .set("out_channels", 1).set("kernel_width", 2).set("kernel_height", 2).set("stride_width", 1)
        .set("stride_height", 1).set("padding_width", 1).set("padding_height", 1).build());
    for (int i = 0; i < 4; i++) {
      assertEquals(8f, m.getF32(40 + 4 * i));
    }
    // MAX_POOL2D over [-3, -1] (1x2, kernel 1x2): -1; ADD: -1 + 2.5 = 1.5.
    floats(64, -3f, -1f);
    run(CpuLayer.builder(LayerType.MAX_POOL2D).set("main_mem_in_address", 64).set("main_mem_out_address", 72)
        .set("in_width", 2).set("in_height", 1).set("in_channels", 1).set("out_width", 1).set("out_height", 1)
        .set("out_channels", 1).set("kernel_width", 2).set("kernel_height", 1).set("stride_width", 2)
        .set("stride_height", 1).build());
    assertEquals(-1f, m.getF32(72));
    floats(76, 2.5f);
    run(CpuLayer.builder(LayerType.ADD).set("main_mem_in_a_address", 72).set("main_mem_in_b_address", 76)
        .set("main_mem_out_address", 80).set("count", 1).build());
    assertEquals(1.5f, m.getF32(80));
  }

  @Test
  void outOfRangeAddressesNameTheLayer() {
    dev.kbyoc.ir.KbyocException e = org.junit.jupiter.api.Assertions.assertThrows(dev.kbyoc.ir.KbyocException.class,
        () -> run(CpuLayer.builder(LayerType.DEQUANTIZE).set("main_mem_in_address", 250)
            .set("main_mem_out_address", 0).set("count", 10).build()));
    assertEquals("test input: main memory bytes [250, 260) exceed main_mem_usage 256", e.getMessage());
  }
}
