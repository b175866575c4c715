package dev.kbyoc.kendryte.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A CPU-side layer body: the fixed 32-bit fields of its {@link LayerSchema} (raw bits) and the raw
 * tail bytes. Immutable; typed views decode the tail on demand.
 */
public final class CpuLayer implements KLayer {
  private final LayerType type;
  private final LayerSchema schema;
  private final int[] raw;
  private final byte[] tail;

  private CpuLayer(LayerType type, int[] raw, byte[] tail) {
    this.type = type;
    this.schema = LayerSchema.of(type);
    if (raw.length != schema.fields().size()) {
      throw new IllegalArgumentException(type + " has " + schema.fields().size() + " fields, got " + raw.length);
    }
    this.raw = raw;
    this.tail = tail;
  }

  /** A layer from raw field bits (in schema order) and its tail bytes (copied). */
  public static CpuLayer of(LayerType type, int[] rawFields, byte[] tail) {
    return new CpuLayer(type, rawFields.clone(), tail.clone());
  }

  /** Starts a builder with every field zero and an empty tail. */
  public static Builder builder(LayerType type) {
    return new Builder(type);
  }

  @Override
  public LayerType type() {
    return type;
  }

  public LayerSchema schema() {
    return schema;
  }

  /** The raw 32-bit words of the fixed fields. */
  public int[] rawFields() {
    return raw.clone();
  }

  /** The raw tail bytes. */
  public byte[] tail() {
    return tail.clone();
  }

  int rawAt(int i) {
    return raw[i];
  }

  byte[] tailRef() {
    return tail;
  }

  private int idx(String name) {
    int i = schema.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(type + " has no field " + name);
    }
    return i;
  }

  /** An unsigned 32-bit field. */
  public long u32(String name) {
    return Integer.toUnsignedLong(raw[idx(name)]);
  }

  /** A signed 32-bit field. */
  public int i32(String name) {
    return raw[idx(name)];
  }

  /** A float field. */
  public float f32(String name) {
    return Float.intBitsToFloat(raw[idx(name)]);
  }

  /** The tail decoded as little-endian floats (FULLY_CONNECTED weights then bias; quant params). */
  public float[] tailFloats() {
    float[] r = new float[tail.length / 4];
    ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(r);
    return r;
  }

  /** The tail decoded as little-endian 32-bit integers (concat ranges). */
  public int[] tailInts() {
    int[] r = new int[tail.length / 4];
    ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(r);
    return r;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CpuLayer c && c.type == type && Arrays.equals(c.raw, raw) && Arrays.equals(c.tail, tail);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + Arrays.hashCode(raw) * 7 + Arrays.hashCode(tail);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(type.name()).append('{');
    for (int i = 0; i < raw.length; i++) {
      LayerSchema.Field f = schema.fields().get(i);
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(f.name()).append('=');
      switch (f.kind()) {
        case U32 -> sb.append(Integer.toUnsignedLong(raw[i]));
        case I32 -> sb.append(raw[i]);
        case F32 -> sb.append(Float.intBitsToFloat(raw[i]));
      }
    }
    if (tail.length > 0) {
      sb.append(", tail=").append(tail.length).append(" bytes");
    }
    return sb.append('}').toString();
  }

  /** Builds a CPU layer field by field. */
  public static final class Builder {
    private final LayerType type;
    private final LayerSchema schema;
    private final int[] raw;
    private byte[] tail = new byte[0];

    private Builder(LayerType type) {
      this.type = type;
      this.schema = LayerSchema.of(type);
      this.raw = new int[schema.fields().size()];
    }

    private int idx(String name) {
      int i = schema.indexOf(name);
      if (i < 0) {
        throw new IllegalArgumentException(type + " has no field " + name);
      }
      return i;
    }

    /** Sets an integer field (U32 or I32). */
    public Builder set(String name, long value) {
      raw[idx(name)] = (int) value;
      return this;
    }

    /** Sets a float field. */
    public Builder setFloat(String name, float value) {
      raw[idx(name)] = Float.floatToRawIntBits(value);
      return this;
    }

    /** Sets the tail to raw bytes. */
    public Builder tail(byte[] bytes) {
      tail = bytes.clone();
      return this;
    }

    /** Sets the tail to little-endian floats. */
    public Builder tailFloats(float... values) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(values);
      tail = b.array();
      return this;
    }

    /** Sets the tail to little-endian 32-bit integers. */
    public Builder tailInts(int... values) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asIntBuffer().put(values);
      tail = b.array();
      return this;
    }

    /** The layer; checks the tail length against the fields. */
    public CpuLayer build() {
      long[] vals = new long[raw.length];
      for (int i = 0; i < raw.length; i++) {
        vals[i] = Integer.toUnsignedLong(raw[i]);
      }
      long want = schema.tailSize(vals);
      if (want != tail.length) {
        throw new IllegalArgumentException(type + " tail must be " + want + " bytes, got " + tail.length);
      }
      return new CpuLayer(type, raw.clone(), tail);
    }
  }
}
