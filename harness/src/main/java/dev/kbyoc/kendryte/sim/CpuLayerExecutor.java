package dev.kbyoc.kendryte.sim;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.kendryte.format.CpuLayer;

/** Dispatches a CPU layer to its kernel; returns the output shape. */
final class CpuLayerExecutor {
  private CpuLayerExecutor() {}

  static int[] run(CpuLayer l, MainMemory m, KpuRam ram, SimMode mode, String who) {
    return switch (l.type()) {
      case ADD -> CpuFloatLayers.add(l, m, who);
      case QUANTIZED_ADD -> CpuQuantLayers.quantizedAdd(l, m, mode, who);
      case GLOBAL_AVERAGE_POOL2D -> CpuFloatLayers.globalPool(l, m, false, mode, who);
      case GLOBAL_MAX_POOL2D -> CpuFloatLayers.globalPool(l, m, true, mode, who);
      case QUANTIZED_GLOBAL_AVERAGE_POOL2D -> CpuQuantLayers.globalPool(l, m, false, mode, who);
      case QUANTIZED_GLOBAL_MAX_POOL2D -> CpuQuantLayers.globalPool(l, m, true, mode, who);
      case MAX_POOL2D -> CpuFloatLayers.pool2d(l, m, true, who);
      case AVERAGE_POOL2D -> CpuFloatLayers.pool2d(l, m, false, who);
      case QUANTIZED_MAX_POOL2D -> CpuQuantLayers.pool2d(l, m, true, mode, who);
      case QUANTIZED_AVERAGE_POOL2D -> CpuQuantLayers.pool2d(l, m, false, mode, who);
      case QUANTIZE -> CpuQuantLayers.quantize(l, m, mode, who);
      case DEQUANTIZE -> CpuQuantLayers.dequantize(l, m, who);
      case REQUANTIZE -> CpuQuantLayers.requantize(l, m, mode, who);
      case L2_NORMALIZATION -> CpuFloatLayers.vector(l, m, "l2", who);
      case SOFTMAX -> CpuFloatLayers.vector(l, m, "softmax", who);
      case LOGISTIC -> CpuFloatLayers.vector(l, m, "logistic", who);
      case CONCAT, QUANTIZED_CONCAT -> CpuQuantLayers.concat(l, m, who);
      case FULLY_CONNECTED -> CpuFloatLayers.fullyConnected(l, m, mode, who);
      case QUANTIZED_FULLY_CONNECTED -> CpuQuantLayers.quantizedFullyConnected(l, m, mode, who);
      case TENSORFLOW_FLATTEN -> CpuFloatLayers.flatten(l, m, 4, who);
      case QUANTIZED_TENSORFLOW_FLATTEN -> CpuFloatLayers.flatten(l, m, 1, who);
      case RESIZE_NEAREST_NEIGHBOR -> CpuFloatLayers.resizeNearest(l, m, 4, who);
      case QUANTIZED_RESIZE_NEAREST_NEIGHBOR -> CpuFloatLayers.resizeNearest(l, m, 1, who);
      case CHANNELWISE_DEQUANTIZE -> CpuQuantLayers.channelwiseDequantize(l, m, who);
      case K210_ADD_PADDING -> CpuQuantLayers.addPadding(l, m, ram, who);
      case K210_REMOVE_PADDING -> CpuQuantLayers.removePadding(l, m, who);
      case K210_UPLOAD -> CpuQuantLayers.upload(l, m, ram, who);
      case K210_CONV, INVALID -> throw new KbyocException(who + ": not a CPU layer");
    };
  }

  /** The main-memory address a CPU layer writes, or -1 when it writes KPU RAM. */
  static long outputAddress(CpuLayer l) {
    int i = l.schema().indexOf("main_mem_out_address");
    if (i < 0) {
      i = l.schema().indexOf("mem_out_address");
    }
    return i < 0 ? -1 : Integer.toUnsignedLong(l.rawFields()[i]);
  }

  /** The main-memory address a CPU layer reads (its first input), or -1. */
  static long inputAddress(CpuLayer l) {
    int i = l.schema().indexOf("main_mem_in_address");
    if (i < 0) {
      i = l.schema().indexOf("main_mem_in_a_address");
    }
    return i < 0 ? -1 : Integer.toUnsignedLong(l.rawFields()[i]);
  }
}
