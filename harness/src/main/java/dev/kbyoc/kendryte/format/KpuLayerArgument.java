package dev.kbyoc.kendryte.format;

import java.util.Arrays;

/**
 * The SDK's {@code kpu_layer_argument_t}: twelve 64-bit registers (96 bytes) that configure one
 * KPU layer. Immutable; {@link #with} returns a copy with one bitfield replaced.
 */
public final class KpuLayerArgument {
  /** Size of the struct in the kmodel. */
  public static final int BYTES = 96;

  private final long[] regs;

  private KpuLayerArgument(long[] regs) {
    this.regs = regs;
  }

  /** From the twelve raw register values (copied). */
  public static KpuLayerArgument of(long[] regs) {
    if (regs.length != 12) {
      throw new IllegalArgumentException("kpu_layer_argument_t has 12 registers, got " + regs.length);
    }
    return new KpuLayerArgument(regs.clone());
  }

  /** All registers zero. */
  public static KpuLayerArgument zero() {
    return new KpuLayerArgument(new long[12]);
  }

  /** The raw registers. */
  public long[] registers() {
    return regs.clone();
  }

  public long register(int i) {
    return regs[i];
  }

  /** The value of one bitfield (sign-extended for the signed ones). */
  public long get(KpuField f) {
    return f.extract(regs[f.register()]);
  }

  /** A copy with one bitfield set; throws when the value does not fit the field. */
  public KpuLayerArgument with(KpuField f, long value) {
    if (!f.fits(value)) {
      throw new IllegalArgumentException("value [" + value + "] does not fit kpu field " + f.cName()
          + " (" + f.width() + " bits" + (f.signed() ? ", signed" : "") + ")");
    }
    long[] r = regs.clone();
    r[f.register()] = f.insert(r[f.register()], value);
    return new KpuLayerArgument(r);
  }

  public int inputWidth() {
    return (int) get(KpuField.I_ROW_WID) + 1;
  }

  public int inputHeight() {
    return (int) get(KpuField.I_COL_HIGH) + 1;
  }

  public int inputChannels() {
    return (int) get(KpuField.I_CH_NUM) + 1;
  }

  public int outputWidth() {
    return (int) get(KpuField.O_ROW_WID) + 1;
  }

  public int outputHeight() {
    return (int) get(KpuField.O_COL_HIGH) + 1;
  }

  public int outputChannels() {
    return (int) get(KpuField.O_CH_NUM) + 1;
  }

  public boolean depthwise() {
    return get(KpuField.DEPTH_WISE_LAYER) == 1;
  }

  /** Kernel side: 1 for kernel_type 0, 3 for kernel_type 1. */
  public int kernelSize() {
    return get(KpuField.KERNEL_TYPE) == 1 ? 3 : 1;
  }

  /** Number of weight values: in*out*k*k for a normal conv, channels*k*k for depthwise. */
  public long weightCount() {
    long k2 = (long) kernelSize() * kernelSize();
    return depthwise() ? inputChannels() * k2 : (long) inputChannels() * outputChannels() * k2;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KpuLayerArgument a && Arrays.equals(a.regs, regs);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(regs);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("kpu_layer_argument_t{");
    for (KpuField f : KpuField.values()) {
      long v = get(f);
      if (v != 0) {
        sb.append(f.cName()).append('=').append(v).append(' ');
      }
    }
    return sb.append('}').toString();
  }
}
