package dev.kbyoc.ir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A dense, C-ordered tensor on the host. The element storage is a primitive array chosen by dtype:
 * {@code float[]} for float32, {@code byte[]} for int8/uint8/bool, {@code int[]} for int32/uint32,
 * {@code long[]} for int64/uint64, {@code short[]} for float16/bfloat16 (their bits) and
 * int16/uint16, {@code double[]} for float64. Constants treat their NDArray as immutable; runtime buffers write
 * through {@link #setDouble} or the raw arrays.
 */
public final class NDArray implements Value {
  /** Largest element count one tensor may hold (2^31 - 1 elements in Java arrays). */
  public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  private final DType dtype;
  private final int[] shape;
  private final Object data;

  private NDArray(DType dtype, int[] shape, Object data) {
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
  }

  /** A zero-filled tensor. */
  public static NDArray zeros(DType dtype, int... shape) {
    int n = Math.toIntExact(checkedSize(shape));
    if ((long) n * dtype.byteSize() > Limits.tensorBytes()) {
      Limits.checkTensorBytes((long) n * dtype.byteSize(), "tensor of shape " + Arrays.toString(shape) + " " + dtype);
    }
    Object data = switch (dtype) {
      case FLOAT32 -> new float[n];
      case INT8, UINT8, BOOL -> new byte[n];
      case INT32, UINT32 -> new int[n];
      case INT64, UINT64 -> new long[n];
      case FLOAT16, BFLOAT16, INT16, UINT16 -> new short[n];
      case FLOAT64 -> new double[n];
    };
    return new NDArray(dtype, shape.clone(), data);
  }

  /** Wraps float data (not copied). */
  public static NDArray of(float[] data, int... shape) {
    requireLength(data.length, shape);
    return new NDArray(DType.FLOAT32, shape.clone(), data);
  }

  /** Wraps int32 data (not copied). */
  public static NDArray ofInt32(int[] data, int... shape) {
    requireLength(data.length, shape);
    return new NDArray(DType.INT32, shape.clone(), data);
  }

  /** Wraps int64 data (not copied). */
  public static NDArray ofInt64(long[] data, int... shape) {
    requireLength(data.length, shape);
    return new NDArray(DType.INT64, shape.clone(), data);
  }

  /** Wraps 8-bit data (int8, uint8 or bool; not copied). */
  public static NDArray ofBytes(DType dtype, byte[] data, int... shape) {
    if (dtype.byteSize() != 1) {
      throw new IllegalArgumentException("dtype [" + dtype + "] is not 8-bit");
    }
    requireLength(data.length, shape);
    return new NDArray(dtype, shape.clone(), data);
  }

  /** A float32 scalar (rank 0). */
  public static NDArray scalar(float v) {
    return of(new float[] {v});
  }

  /** A tensor of the given dtype whose elements are {@code values} converted as by {@link #setDouble}. */
  public static NDArray fromDoubles(DType dtype, double[] values, int... shape) {
    NDArray a = zeros(dtype, shape);
    requireLength(values.length, shape);
    for (int i = 0; i < values.length; i++) {
      a.setDouble(i, values[i]);
    }
    return a;
  }

  /** Reads little-endian element bytes; the byte count must equal size * element size. */
  public static NDArray fromBytes(DType dtype, int[] shape, byte[] bytes) {
    long n = checkedSize(shape);
    if (n * dtype.byteSize() != bytes.length) {
      throw new KbyocException("tensor of shape " + Arrays.toString(shape) + " " + dtype + " needs "
          + n * dtype.byteSize() + " bytes, got " + bytes.length);
    }
    NDArray a = zeros(dtype, shape);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case FLOAT32 -> buf.asFloatBuffer().get((float[]) a.data);
      case INT8, UINT8, BOOL -> buf.get((byte[]) a.data);
      case INT32, UINT32 -> buf.asIntBuffer().get((int[]) a.data);
      case INT64, UINT64 -> buf.asLongBuffer().get((long[]) a.data);
      case FLOAT16, BFLOAT16, INT16, UINT16 -> buf.asShortBuffer().get((short[]) a.data);
      case FLOAT64 -> buf.asDoubleBuffer().get((double[]) a.data);
    }
    return a;
  }

  /** Number of elements of a shape, rejecting negative dims and overflow. */
  public static long checkedSize(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new KbyocException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
      if (n > MAX_ELEMENTS) {
        throw new KbyocException("shape " + Arrays.toString(shape) + " has more than " + MAX_ELEMENTS + " elements");
      }
    }
    return n;
  }

  private static void requireLength(int length, int[] shape) {
    if (checkedSize(shape) != length) {
      throw new IllegalArgumentException("data length " + length + " does not match shape " + Arrays.toString(shape));
    }
  }

  public DType dtype() {
    return dtype;
  }

  /** The shape (a copy). */
  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int axis) {
    return shape[axis];
  }

  /** Number of elements. */
  public int size() {
    return length();
  }

  private int length() {
    return switch (dtype) {
      case FLOAT32 -> ((float[]) data).length;
      case INT8, UINT8, BOOL -> ((byte[]) data).length;
      case INT32, UINT32 -> ((int[]) data).length;
      case INT64, UINT64 -> ((long[]) data).length;
      case FLOAT16, BFLOAT16, INT16, UINT16 -> ((short[]) data).length;
      case FLOAT64 -> ((double[]) data).length;
    };
  }

  /** Size of the element data in bytes. */
  public long byteSize() {
    return (long) size() * dtype.byteSize();
  }

  public TensorType type() {
    return new TensorType(shape, dtype);
  }

  /** The backing float array (float32 only; not copied). */
  public float[] floatData() {
    if (dtype != DType.FLOAT32) {
      throw new IllegalStateException("tensor is " + dtype + ", not float32");
    }
    return (float[]) data;
  }

  /** The backing byte array (int8/uint8/bool only; not copied). */
  public byte[] byteData() {
    if (dtype.byteSize() != 1) {
      throw new IllegalStateException("tensor is " + dtype + ", not 8-bit");
    }
    return (byte[]) data;
  }

  /** The backing int array (int32 only; not copied). */
  public int[] intData() {
    if (dtype != DType.INT32) {
      throw new IllegalStateException("tensor is " + dtype + ", not int32");
    }
    return (int[]) data;
  }

  /** The backing long array (int64 only; not copied). */
  public long[] longData() {
    if (dtype != DType.INT64) {
      throw new IllegalStateException("tensor is " + dtype + ", not int64");
    }
    return (long[]) data;
  }

  /** Element {@code i} (flat, C order) as a double; unsigned types read as non-negative. */
  public double getDouble(int i) {
    return switch (dtype) {
      case FLOAT32 -> ((float[]) data)[i];
      case INT8, BOOL -> ((byte[]) data)[i];
      case UINT8 -> ((byte[]) data)[i] & 0xFF;
      case INT32 -> ((int[]) data)[i];
      case INT64 -> ((long[]) data)[i];
      case FLOAT64 -> ((double[]) data)[i];
      case FLOAT16 -> HalfFloats.fromFloat16(((short[]) data)[i]);
      case BFLOAT16 -> HalfFloats.fromBfloat16(((short[]) data)[i]);
      case INT16 -> ((short[]) data)[i];
      case UINT16 -> ((short[]) data)[i] & 0xFFFF;
      case UINT32 -> ((int[]) data)[i] & 0xFFFFFFFFL;
      case UINT64 -> unsignedToDouble(((long[]) data)[i]);
    };
  }

  private static double unsignedToDouble(long v) {
    return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
  }

  /**
   * Element {@code i} as a long (floats truncate toward zero; uint64 values above 2^63 - 1 come
   * back as their two's-complement bits, i.e. negative).
   */
  public long getLong(int i) {
    return switch (dtype) {
      case FLOAT32, FLOAT64, FLOAT16, BFLOAT16 -> (long) getDouble(i);
      case INT8, BOOL -> ((byte[]) data)[i];
      case UINT8 -> ((byte[]) data)[i] & 0xFF;
      case INT32 -> ((int[]) data)[i];
      case INT64, UINT64 -> ((long[]) data)[i];
      case INT16 -> ((short[]) data)[i];
      case UINT16 -> ((short[]) data)[i] & 0xFFFF;
      case UINT32 -> ((int[]) data)[i] & 0xFFFFFFFFL;
    };
  }

  /**
   * Writes element {@code i}: floats round to the dtype's precision (to nearest, ties to even),
   * integers truncate toward zero then wrap (uint64 takes values up to 2^64 - 1).
   */
  public void setDouble(int i, double v) {
    switch (dtype) {
      case FLOAT32 -> ((float[]) data)[i] = (float) v;
      case INT8, UINT8 -> ((byte[]) data)[i] = (byte) (long) v;
      case BOOL -> ((byte[]) data)[i] = (byte) (v != 0 ? 1 : 0);
      case INT32, UINT32 -> ((int[]) data)[i] = (int) (long) v;
      case INT64 -> ((long[]) data)[i] = (long) v;
      case UINT64 -> ((long[]) data)[i] = v >= 0x1p63 ? (long) (v - 0x1p63) + Long.MIN_VALUE : (long) v;
      case FLOAT64 -> ((double[]) data)[i] = v;
      case FLOAT16 -> ((short[]) data)[i] = HalfFloats.toFloat16(v);
      case BFLOAT16 -> ((short[]) data)[i] = HalfFloats.toBfloat16(v);
      case INT16, UINT16 -> ((short[]) data)[i] = (short) (long) v;
    }
  }

  /** The element data as little-endian bytes, as TVM's params format stores it. */
  public byte[] toBytes() {
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    putElements(buf, 0, size());
    return buf.array();
  }

  /** Elements [from, from + count) as little-endian bytes at the start of {@code buf}. */
  private void putElements(ByteBuffer buf, int from, int count) {
    switch (dtype) {
      case FLOAT32 -> buf.asFloatBuffer().put((float[]) data, from, count);
      case INT8, UINT8, BOOL -> buf.put((byte[]) data, from, count);
      case INT32, UINT32 -> buf.asIntBuffer().put((int[]) data, from, count);
      case INT64, UINT64 -> buf.asLongBuffer().put((long[]) data, from, count);
      case FLOAT16, BFLOAT16, INT16, UINT16 -> buf.asShortBuffer().put((short[]) data, from, count);
      case FLOAT64 -> buf.asDoubleBuffer().put((double[]) data, from, count);
    }
  }

  /**
   * Writes {@link #toBytes()}'s bytes to {@code out} through one small buffer, so a large array is
   * never copied whole (the package writer streams params with it).
   */
  public void writeTo(java.io.OutputStream out) throws java.io.IOException {
    int n = size();
    int es = dtype.byteSize();
    ByteBuffer buf = ByteBuffer.allocate(Math.min(1 << 16, Math.max(es, n * es))).order(ByteOrder.LITTLE_ENDIAN);
    int per = buf.capacity() / es;
    for (int i = 0; i < n; i += per) {
      int m = Math.min(per, n - i);
      buf.clear();
      putElements(buf, i, m);
      out.write(buf.array(), 0, m * es);
    }
  }

  /** A deep copy. */
  public NDArray copy() {
    Object d = switch (dtype) {
      case FLOAT32 -> ((float[]) data).clone();
      case INT8, UINT8, BOOL -> ((byte[]) data).clone();
      case INT32, UINT32 -> ((int[]) data).clone();
      case INT64, UINT64 -> ((long[]) data).clone();
      case FLOAT16, BFLOAT16, INT16, UINT16 -> ((short[]) data).clone();
      case FLOAT64 -> ((double[]) data).clone();
    };
    return new NDArray(dtype, shape.clone(), d);
  }

  /** The same elements under another shape with the same element count (shares data). */
  public NDArray reshape(int... newShape) {
    requireLength(size(), newShape);
    return new NDArray(dtype, newShape.clone(), data);
  }

  /** Bitwise equality of dtype, shape and element bytes (NaN payloads included). */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof NDArray other) || dtype != other.dtype || !Arrays.equals(shape, other.shape)) {
      return false;
    }
    return switch (dtype) {
      case FLOAT32 -> {
        float[] a = (float[]) data;
        float[] b = (float[]) other.data;
        for (int i = 0; i < a.length; i++) {
          if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
            yield false;
          }
        }
        yield true;
      }
      case INT8, UINT8, BOOL -> Arrays.equals((byte[]) data, (byte[]) other.data);
      case INT32, UINT32 -> Arrays.equals((int[]) data, (int[]) other.data);
      case INT64, UINT64 -> Arrays.equals((long[]) data, (long[]) other.data);
      case FLOAT16, BFLOAT16, INT16, UINT16 -> Arrays.equals((short[]) data, (short[]) other.data);
      case FLOAT64 -> {
        double[] a = (double[]) data;
        double[] b = (double[]) other.data;
        for (int i = 0; i < a.length; i++) {
          if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
            yield false;
          }
        }
        yield true;
      }
    };
  }

  @Override
  public int hashCode() {
    int h = dtype.hashCode() * 31 + Arrays.hashCode(shape);
    return switch (dtype) {
      case FLOAT32 -> h * 31 + Arrays.hashCode((float[]) data);
      case INT8, UINT8, BOOL -> h * 31 + Arrays.hashCode((byte[]) data);
      case INT32, UINT32 -> h * 31 + Arrays.hashCode((int[]) data);
      case INT64, UINT64 -> h * 31 + Arrays.hashCode((long[]) data);
      case FLOAT16, BFLOAT16, INT16, UINT16 -> h * 31 + Arrays.hashCode((short[]) data);
      case FLOAT64 -> h * 31 + Arrays.hashCode((double[]) data);
    };
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("NDArray").append(type()).append('[');
    int n = Math.min(size(), 8);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append(dtype.isFloat() ? Double.toString(getDouble(i)) : Long.toString(getLong(i)));
    }
    return sb.append(size() > n ? ", ...]" : "]").toString();
  }
}
