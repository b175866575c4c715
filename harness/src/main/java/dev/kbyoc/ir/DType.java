package dev.kbyoc.ir;

import java.util.Locale;

/**
 * Element types, with their DLPack encoding (type code, bits, lanes) as TVM writes it into the
 * params binary and the graph JSON's {@code dltype} list. The first six are the types the
 * compiler's kernels and the Kendryte backend use; the 16-bit floats, float64 and the other
 * integer widths exist so ONNX models and the conformance suite can carry them through the
 * reference kernels, which compute in double.
 */
public enum DType {
  FLOAT32("float32", 2, 32),
  INT8("int8", 0, 8),
  UINT8("uint8", 1, 8),
  INT32("int32", 0, 32),
  INT64("int64", 0, 64),
  BOOL("bool", 1, 1),
  FLOAT16("float16", 2, 16),
  BFLOAT16("bfloat16", 4, 16),
  FLOAT64("float64", 2, 64),
  INT16("int16", 0, 16),
  UINT16("uint16", 1, 16),
  UINT32("uint32", 1, 32),
  UINT64("uint64", 1, 64);

  /** DLPack type codes. */
  public static final int KDL_INT = 0;
  public static final int KDL_UINT = 1;
  public static final int KDL_FLOAT = 2;
  public static final int KDL_BFLOAT = 4;

  private final String relayName;
  private final int code;
  private final int bits;

  DType(String relayName, int code, int bits) {
    this.relayName = relayName;
    this.code = code;
    this.bits = bits;
  }

  /** The name Relay prints, e.g. {@code float32}. */
  public String relayName() {
    return relayName;
  }

  public int dlCode() {
    return code;
  }

  public int bits() {
    return bits;
  }

  /** Bytes per element in memory (bool takes one byte, as in TVM's NDArray). */
  public int byteSize() {
    return Math.max(1, bits / 8);
  }

  /** float32, float64, float16 or bfloat16. */
  public boolean isFloat() {
    return this == FLOAT32 || this == FLOAT64 || this == FLOAT16 || this == BFLOAT16;
  }

  /** uint8, uint16, uint32 or uint64 (bool excluded). */
  public boolean isUnsigned() {
    return this == UINT8 || this == UINT16 || this == UINT32 || this == UINT64;
  }

  /** The lowest finite value (TVM's {@code min_value}), as a double. */
  public double lowest() {
    return switch (this) {
      case FLOAT32 -> -Float.MAX_VALUE;
      case FLOAT64 -> -Double.MAX_VALUE;
      case FLOAT16 -> -65504.0;
      case BFLOAT16 -> -HalfFloats.fromBfloat16((short) 0x7F7F);
      case INT8 -> Byte.MIN_VALUE;
      case INT16 -> Short.MIN_VALUE;
      case INT32 -> Integer.MIN_VALUE;
      case INT64 -> Long.MIN_VALUE;
      case UINT8, UINT16, UINT32, UINT64, BOOL -> 0;
    };
  }

  /** The highest finite value (TVM's {@code max_value}), as a double (uint64's rounds to 2^64). */
  public double highest() {
    return switch (this) {
      case FLOAT32 -> Float.MAX_VALUE;
      case FLOAT64 -> Double.MAX_VALUE;
      case FLOAT16 -> 65504.0;
      case BFLOAT16 -> HalfFloats.fromBfloat16((short) 0x7F7F);
      case INT8 -> Byte.MAX_VALUE;
      case INT16 -> Short.MAX_VALUE;
      case INT32 -> Integer.MAX_VALUE;
      case INT64 -> Long.MAX_VALUE;
      case UINT8 -> 255;
      case UINT16 -> 65535;
      case UINT32 -> 4294967295.0;
      case UINT64 -> 0x1p64;
      case BOOL -> 1;
    };
  }

  @Override
  public String toString() {
    return relayName;
  }

  /** Parses a Relay dtype name; throws a {@link KbyocException} naming it when unknown. */
  public static DType parse(String name) {
    for (DType d : values()) {
      if (d.relayName.equals(name.toLowerCase(Locale.ROOT))) {
        return d;
      }
    }
    throw new KbyocException("unknown dtype [" + name + "]");
  }

  /** The dtype with the given DLPack encoding, or null. */
  public static DType fromDl(int code, int bits, int lanes) {
    if (lanes != 1) {
      return null;
    }
    for (DType d : values()) {
      if (d.code == code && d.bits == bits) {
        return d;
      }
    }
    return null;
  }
}
