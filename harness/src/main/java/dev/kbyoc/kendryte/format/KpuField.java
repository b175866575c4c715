package dev.kbyoc.kendryte.format;

/**
 * Every named bitfield of the SDK's {@code kpu_layer_argument_t} (twelve 64-bit registers), with
 * its register index, low bit and width exactly as declared in {@code kpu.h}. Fields the nncase
 * emitter reads as two's complement ({@code arg_x}, {@code arg_w}: 24 bits, {@code arg_add}: 40
 * bits) are marked signed.
 */
public enum KpuField {
  INT_EN(0, 0, 1),
  RAM_FLAG(0, 1, 1),
  FULL_ADD(0, 2, 1),
  DEPTH_WISE_LAYER(0, 3, 1),
  IMAGE_SRC_ADDR(1, 0, 15),
  IMAGE_DST_ADDR(1, 32, 15),
  I_CH_NUM(2, 0, 10),
  O_CH_NUM(2, 32, 10),
  O_CH_NUM_COEF(2, 48, 10),
  I_ROW_WID(3, 0, 10),
  I_COL_HIGH(3, 10, 9),
  O_ROW_WID(3, 32, 10),
  O_COL_HIGH(3, 42, 9),
  KERNEL_TYPE(4, 0, 3),
  PAD_TYPE(4, 3, 1),
  POOL_TYPE(4, 4, 4),
  FIRST_STRIDE(4, 8, 1),
  BYPASS_CONV(4, 9, 1),
  LOAD_PARA(4, 10, 1),
  DMA_BURST_SIZE(4, 16, 8),
  PAD_VALUE(4, 24, 8),
  BWSX_BASE_ADDR(4, 32, 32),
  LOAD_COOR(5, 0, 1),
  LOAD_TIME(5, 1, 6),
  PARA_SIZE(5, 15, 17),
  PARA_START_ADDR(5, 32, 32),
  COEF_COLUMN_OFFSET(6, 0, 4),
  COEF_ROW_OFFSET(6, 4, 12),
  CHANNEL_SWITCH_ADDR(7, 0, 15),
  ROW_SWITCH_ADDR(7, 16, 4),
  COEF_SIZE(7, 20, 8),
  COEF_GROUP(7, 28, 3),
  LOAD_ACT(7, 31, 1),
  ACTIVE_ADDR(7, 32, 32),
  WB_CHANNEL_SWITCH_ADDR(8, 0, 15),
  WB_ROW_SWITCH_ADDR(8, 16, 4),
  WB_GROUP(8, 20, 3),
  SHR_W(9, 0, 4),
  SHR_X(9, 4, 4),
  ARG_W(9, 8, 24, true),
  ARG_X(9, 32, 24, true),
  ARG_ADD(10, 0, 40, true),
  SEND_DATA_OUT(11, 0, 1),
  CHANNEL_BYTE_NUM(11, 16, 16),
  DMA_TOTAL_BYTE(11, 32, 32);

  /** Names of the twelve registers in file order. */
  public static final String[] REGISTERS = {
    "interrupt_enabe", "image_addr", "image_channel_num", "image_size", "kernel_pool_type_cfg",
    "kernel_load_cfg", "kernel_offset", "kernel_calc_type_cfg", "write_back_cfg", "conv_value",
    "conv_value2", "dma_parameter"
  };

  private final int reg;
  private final int lo;
  private final int width;
  private final boolean signed;

  KpuField(int reg, int lo, int width) {
    this(reg, lo, width, false);
  }

  KpuField(int reg, int lo, int width, boolean signed) {
    this.reg = reg;
    this.lo = lo;
    this.width = width;
    this.signed = signed;
  }

  public int register() {
    return reg;
  }

  public int lowBit() {
    return lo;
  }

  public int width() {
    return width;
  }

  public boolean signed() {
    return signed;
  }

  /** The field name as spelled in {@code kpu.h}. */
  public String cName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  long mask() {
    return width == 64 ? -1L : (1L << width) - 1;
  }

  /** Extracts this field from the register value (sign-extended when signed). */
  public long extract(long regValue) {
    long v = (regValue >>> lo) & mask();
    if (signed && ((v >>> (width - 1)) & 1) != 0) {
      v |= ~mask();
    }
    return v;
  }

  /** Returns the register value with this field replaced by the low bits of {@code value}. */
  public long insert(long regValue, long value) {
    return (regValue & ~(mask() << lo)) | ((value & mask()) << lo);
  }

  /** Whether {@code value} fits this field (in its signed or unsigned range). */
  public boolean fits(long value) {
    if (signed) {
      long min = -(1L << (width - 1));
      long max = (1L << (width - 1)) - 1;
      return value >= min && value <= max;
    }
    return value >= 0 && value <= mask();
  }
}
