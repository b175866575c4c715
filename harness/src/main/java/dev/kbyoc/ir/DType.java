package dev.kbyoc.ir;

import java.util.Locale;

/**
 * Element types, with their DLPack encoding (type code, bits, lanes) as TVM writes it into the
 * params binary and the graph JSON's {@code dltype} list.
 */
public enum DType {
  FLOAT32("float32", 2, 32),
  INT8("int8", 0, 8),
  UINT8("uint8", 1, 8),
  INT32("int32", 0, 32),
  INT64("int64", 0, 64),
  BOOL("bool", 1, 1);

  /** DLPack type codes. */
  public static final int KDL_INT = 0;
  public static final int KDL_UINT = 1;
  public static final int KDL_FLOAT = 2;

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

  public boolean isFloat() {
    return this == FLOAT32;
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
