package dev.kbyoc.kendryte.format;

/**
 * A K210_CONV layer: the SDK's {@code kpu_model_conv_layer_argument_t} ({@code flags}, {@code
 * main_mem_out_address} and four absolute file offsets) and the data those offsets point at: the
 * {@code kpu_layer_argument_t}, the weights (uint8 or uint16 per the header's flags bit 0), one
 * batchnorm register per output channel and the activation table (float32 weights and
 * {@link FloatKpuTables} in a float kmodel). Registers are kept raw so that
 * unused bits survive a round trip. The offsets are those read from the file (0 when built in
 * memory); the writer recomputes them with nncase's alignment (layer 8, weights 128, bn 128,
 * activation 256, all absolute).
 */
public final class K210ConvLayer implements KLayer {
  /** {@code KLF_MAIN_MEM_OUT}: the output is also copied to main memory. */
  public static final int FLAG_MAIN_MEM_OUT = 1;

  private final long flags;
  private final long mainMemOutAddress;
  private final KpuLayerArgument arg;
  private final byte[] weights;
  private final long[] bn;
  private final long[] act;
  private final long[] offsets;

  private K210ConvLayer(long flags, long mainMemOutAddress, KpuLayerArgument arg, byte[] weights, long[] bn,
      long[] act, long[] offsets) {
    if (act.length != 18) {
      throw new IllegalArgumentException("activation table needs 18 registers, got " + act.length);
    }
    this.flags = flags;
    this.mainMemOutAddress = mainMemOutAddress;
    this.arg = arg;
    this.weights = weights;
    this.bn = bn;
    this.act = act;
    this.offsets = offsets;
  }

  /** A conv layer from raw parts (arrays copied); offsets are the four file offsets as read. */
  public static K210ConvLayer of(long flags, long mainMemOutAddress, KpuLayerArgument arg, byte[] weights,
      long[] bnRegs, long[] actRegs, long[] offsets) {
    return new K210ConvLayer(flags, mainMemOutAddress, arg, weights.clone(), bnRegs.clone(), actRegs.clone(),
        offsets.clone());
  }

  /** A conv layer from decoded batchnorm and activation parameters. */
  public static K210ConvLayer of(long flags, long mainMemOutAddress, KpuLayerArgument arg, byte[] weights,
      KpuBatchNorm[] bn, KpuActivation act) {
    long[] b = new long[bn.length];
    for (int i = 0; i < bn.length; i++) {
      b[i] = bn[i].encode();
    }
    return new K210ConvLayer(flags, mainMemOutAddress, arg, weights.clone(), b, act.encode(), new long[4]);
  }

  @Override
  public LayerType type() {
    return LayerType.K210_CONV;
  }

  public long flags() {
    return flags;
  }

  public boolean mainMemOut() {
    return (flags & FLAG_MAIN_MEM_OUT) != 0;
  }

  public long mainMemOutAddress() {
    return mainMemOutAddress;
  }

  public KpuLayerArgument argument() {
    return arg;
  }

  /** Raw weight bytes as stored. */
  public byte[] weightBytes() {
    return weights.clone();
  }

  int weightByteCount() {
    return weights.length;
  }

  byte[] weightsRef() {
    return weights;
  }

  /** Weight values: unsigned bytes in 8-bit mode, little-endian unsigned 16-bit words otherwise. */
  public int[] weightValues(boolean eightBit) {
    if (eightBit) {
      int[] r = new int[weights.length];
      for (int i = 0; i < r.length; i++) {
        r[i] = weights[i] & 0xFF;
      }
      return r;
    }
    int[] r = new int[weights.length / 2];
    for (int i = 0; i < r.length; i++) {
      r[i] = (weights[2 * i] & 0xFF) | ((weights[2 * i + 1] & 0xFF) << 8);
    }
    return r;
  }

  /** Weight values of a float kmodel ({@link Kmodel#FLAG_FLOAT}): little-endian float32. */
  public float[] weightFloats() {
    float[] r = new float[weights.length / 4];
    for (int i = 0; i < r.length; i++) {
      r[i] = Float.intBitsToFloat((weights[4 * i] & 0xFF) | (weights[4 * i + 1] & 0xFF) << 8
          | (weights[4 * i + 2] & 0xFF) << 16 | (weights[4 * i + 3] & 0xFF) << 24);
    }
    return r;
  }

  /** Raw batchnorm registers, one per output channel. */
  public long[] batchNormRegisters() {
    return bn.clone();
  }

  /** Decoded batchnorm of each output channel. */
  public KpuBatchNorm[] batchNorm() {
    KpuBatchNorm[] r = new KpuBatchNorm[bn.length];
    for (int i = 0; i < bn.length; i++) {
      r[i] = KpuBatchNorm.decode(bn[i]);
    }
    return r;
  }

  /** Raw activation table registers (18). */
  public long[] activationRegisters() {
    return act.clone();
  }

  public KpuActivation activation() {
    return KpuActivation.decode(act);
  }

  /** File offsets as read: layer, weights, bn, act (zeros when built in memory). */
  public long[] offsets() {
    return offsets.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof K210ConvLayer c && c.flags == flags && c.mainMemOutAddress == mainMemOutAddress
        && c.arg.equals(arg) && java.util.Arrays.equals(c.weights, weights) && java.util.Arrays.equals(c.bn, bn)
        && java.util.Arrays.equals(c.act, act);
  }

  @Override
  public int hashCode() {
    return arg.hashCode() * 31 + java.util.Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return "K210_CONV{flags=" + flags + ", main_mem_out_address=" + mainMemOutAddress + ", " + arg + "}";
  }
}
