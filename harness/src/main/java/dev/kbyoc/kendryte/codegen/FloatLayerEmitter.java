package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.kendryte.format.CpuLayer;
import dev.kbyoc.kendryte.format.LayerType;

/**
 * The float32 CPU layers of a kmodel v3 as the SDK's {@code kpu.h} lays them out and nncase
 * v0.1.0-rc5 fills them: ADD, GLOBAL_AVERAGE_POOL2D (kernel_size = H * W), FULLY_CONNECTED
 * (weights {@code [out][in]} then bias, {@code act} 0 none / 1 relu / 2 relu6) and SOFTMAX. CONCAT
 * and RESIZE_NEAREST_NEIGHBOR share their builders with the quantized twins in
 * {@link QuantLayerEmitter}.
 */
final class FloatLayerEmitter {
  private FloatLayerEmitter() {}

  static CpuLayer add(long a, long b, long out, int count) {
    return CpuLayer.builder(LayerType.ADD).set("flags", QuantLayerEmitter.MAIN_MEM_OUT)
        .set("main_mem_in_a_address", a).set("main_mem_in_b_address", b).set("main_mem_out_address", out)
        .set("count", count).build();
  }

  static CpuLayer globalAveragePool(long in, long out, int channels, int kernelSize) {
    return CpuLayer.builder(LayerType.GLOBAL_AVERAGE_POOL2D).set("flags", QuantLayerEmitter.MAIN_MEM_OUT)
        .set("main_mem_in_address", in).set("main_mem_out_address", out).set("kernel_size", kernelSize)
        .set("channels", channels).build();
  }

  static CpuLayer fullyConnected(long in, long out, int inChannels, float[] weights, float[] bias, int act) {
    float[] tail = new float[weights.length + bias.length];
    System.arraycopy(weights, 0, tail, 0, weights.length);
    System.arraycopy(bias, 0, tail, weights.length, bias.length);
    return CpuLayer.builder(LayerType.FULLY_CONNECTED).set("main_mem_in_address", in).set("main_mem_out_address", out)
        .set("in_channels", inChannels).set("out_channels", bias.length).set("act", act).tailFloats(tail).build();
  }

  static CpuLayer softmax(long in, long out, int channels) {
    return CpuLayer.builder(LayerType.SOFTMAX).set("flags", QuantLayerEmitter.MAIN_MEM_OUT)
        .set("main_mem_in_address", in).set("main_mem_out_address", out).set("channels", channels).build();
  }
}
