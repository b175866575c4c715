package dev.kbyoc.kendryte.sim;

import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.format.CpuLayer;
import dev.kbyoc.kendryte.format.LayerType;

/**
 * Reads a CPU layer's output back from memory for layer dumps, as float32 values: float tensors
 * as stored, uint8 tensors as their (in float mode unrounded) quantized values.
 */
final class LayerReadback {
  private LayerReadback() {}

  /** Whether a layer type writes float32. */
  static boolean writesFloat(LayerType t) {
    return switch (t) {
      case ADD, GLOBAL_AVERAGE_POOL2D, GLOBAL_MAX_POOL2D, MAX_POOL2D, AVERAGE_POOL2D, DEQUANTIZE, L2_NORMALIZATION,
          SOFTMAX, LOGISTIC, FULLY_CONNECTED, TENSORFLOW_FLATTEN, RESIZE_NEAREST_NEIGHBOR, CHANNELWISE_DEQUANTIZE -> true;
      default -> false;
    };
  }

  static NDArray read(CpuLayer l, int[] shape, MainMemory m, KpuRam ram) {
    int[] full = new int[shape.length + 1];
    full[0] = 1;
    System.arraycopy(shape, 0, full, 1, shape.length);
    int n = (int) NDArray.checkedSize(shape);
    float[] v = new float[n];
    if (l.type() == LayerType.K210_UPLOAD) {
      double[] d = ram.download(l.u32("kpu_mem_out_address"), shape[2], shape[1], shape[0], "dump");
      for (int i = 0; i < n; i++) {
        v[i] = (float) d[i];
      }
    } else if (l.type() == LayerType.K210_ADD_PADDING) {
      long base = l.u32("kpu_mem_out_address") * KpuLayout.LINE;
      int ch = (int) l.u32("channels");
      v = new float[ch];
      for (int c = 0; c < ch; c++) {
        v[c] = (float) ram.get((int) (base + (long) (c / 4) * 4 * KpuLayout.LINE + (c % 4) * 16));
      }
      return NDArray.of(v, 1, ch, 1, 1);
    } else {
      long out = CpuLayerExecutor.outputAddress(l);
      boolean f = writesFloat(l.type());
      for (int i = 0; i < n; i++) {
        v[i] = f ? m.getF32((int) out + 4 * i) : (float) m.getQ((int) out + i);
      }
    }
    return NDArray.of(v, full);
  }
}
