package dev.kbyoc.ir;

import java.util.Arrays;
import java.util.StringJoiner;

/** A tensor type: static shape and dtype. A rank-0 tensor is a scalar and prints as its dtype. */
public final class TensorType implements Type {
  private final int[] shape;
  private final DType dtype;

  public TensorType(int[] shape, DType dtype) {
    for (int d : shape) {
      if (d < 0) {
        throw new KbyocException("negative dimension in shape " + Arrays.toString(shape));
      }
    }
    this.shape = shape.clone();
    this.dtype = dtype;
  }

  public static TensorType of(DType dtype, int... shape) {
    return new TensorType(shape, dtype);
  }

  public static TensorType f32(int... shape) {
    return new TensorType(shape, DType.FLOAT32);
  }

  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int axis) {
    return shape[axis];
  }

  public DType dtype() {
    return dtype;
  }

  /** Element count. */
  public long size() {
    return NDArray.checkedSize(shape);
  }

  public long byteSize() {
    return size() * dtype.byteSize();
  }

  @Override
  public String toRelay() {
    if (shape.length == 0) {
      return dtype.relayName();
    }
    StringJoiner j = new StringJoiner(", ", "(", shape.length == 1 ? ",)" : ")");
    for (int d : shape) {
      j.add(Integer.toString(d));
    }
    return "Tensor[" + j + ", " + dtype.relayName() + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorType t && t.dtype == dtype && Arrays.equals(t.shape, shape);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape) * 31 + dtype.hashCode();
  }

  @Override
  public String toString() {
    return toRelay();
  }
}
