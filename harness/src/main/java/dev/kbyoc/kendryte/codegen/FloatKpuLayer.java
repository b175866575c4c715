package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.kendryte.format.FloatKpuTables;
import dev.kbyoc.kendryte.format.K210ConvLayer;
import dev.kbyoc.kendryte.format.KpuLayerArgument;

/**
 * The K210_CONV layer of a {@link QuantizeMode#FLOAT} kmodel: the group's float weights as
 * little-endian float32 in their OIHW order (the bytes of the Relay weight constant), its folded
 * per-channel scales and biases as float32 batchnorm arrays and its activation as a float
 * activation table ({@link FloatKpuTables}).
 */
final class FloatKpuLayer {
  private FloatKpuLayer() {}

  static K210ConvLayer of(ConvGroup g, long flags, long mainMemOut, KpuLayerArgument arg) {
    float[] w = g.weights();
    byte[] bytes = new byte[4 * w.length];
    for (int i = 0; i < w.length; i++) {
      int v = Float.floatToRawIntBits(w[i]);
      for (int b = 0; b < 4; b++) {
        bytes[4 * i + b] = (byte) (v >>> (8 * b));
      }
    }
    float[] scale = new float[g.outC()];
    float[] bias = new float[g.outC()];
    for (int c = 0; c < scale.length; c++) {
      scale[c] = (float) g.scale()[c];
      bias[c] = (float) g.bias()[c];
    }
    long[] bn = FloatKpuTables.batchNorm(scale, bias);
    long[] act = FloatKpuTables.encode(FloatKpuTables.standard(g.act()));
    return K210ConvLayer.of(flags, mainMemOut, arg, bytes, bn, act, new long[4]);
  }
}
