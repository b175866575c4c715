package dev.kbyoc.kendryte.format;

/**
 * One output channel's {@code kpu_batchnorm_argument_t}: {@code norm_mul} (24 bits), {@code
 * norm_add} (32 bits), {@code norm_shift} (4 bits) packed into one 64-bit register. The KPU
 * computes {@code y = (acc * mul >> shift) + add}. mul and add are read as two's complement, as
 * nncase's emulator does.
 */
public record KpuBatchNorm(long mul, int shift, long add) {
  public KpuBatchNorm {
    if (mul < -(1L << 23) || mul >= (1L << 23)) {
      throw new IllegalArgumentException("norm_mul [" + mul + "] does not fit 24 signed bits");
    }
    if (shift < 0 || shift > 15) {
      throw new IllegalArgumentException("norm_shift [" + shift + "] does not fit 4 bits");
    }
    if (add < Integer.MIN_VALUE || add > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("norm_add [" + add + "] does not fit 32 signed bits");
    }
  }

  /** Decodes a register. */
  public static KpuBatchNorm decode(long reg) {
    long mul = reg & 0xFFFFFFL;
    if ((mul & 0x800000L) != 0) {
      mul -= 1L << 24;
    }
    long add = (int) ((reg >>> 24) & 0xFFFFFFFFL);
    int shift = (int) ((reg >>> 56) & 0xF);
    return new KpuBatchNorm(mul, shift, add);
  }

  /** Encodes into the register layout. */
  public long encode() {
    return (mul & 0xFFFFFFL) | ((add & 0xFFFFFFFFL) << 24) | ((long) (shift & 0xF) << 56);
  }
}
