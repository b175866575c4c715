package dev.kbyoc.onnx;

import com.google.protobuf.ByteString;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import onnx.Onnx.TensorProto;

/**
 * Converts ONNX {@code TensorProto}s (initializers, {@code Constant} values, the conformance
 * suite's {@code input_*.pb}/{@code output_*.pb}) to {@link NDArray}s. Supports the element types
 * kbyoc has (float, double, float16, bfloat16, int8/16/32/64, uint8/16/32/64, bool), from
 * {@code raw_data} (little-endian) or the typed repeated fields; string and complex tensors are
 * unsupported.
 */
public final class TensorProtos {
  private TensorProtos() {}

  /** ONNX {@code TensorProto.DataType} names by code, for messages. */
  private static final String[] ONNX_TYPE_NAMES = {
    "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL",
    "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"
  };

  /** The ONNX name of a data type code, e.g. {@code FLOAT16}. */
  public static String onnxTypeName(int code) {
    return code >= 0 && code < ONNX_TYPE_NAMES.length ? ONNX_TYPE_NAMES[code] : "type#" + code;
  }

  /**
   * The kbyoc dtype of an ONNX element type code; {@link OnnxUnsupportedException} for a valid
   * type kbyoc lacks, {@link KbyocException} for a code ONNX does not define.
   */
  public static DType dtypeOf(int code, String where) {
    return switch (code) {
      case TensorProto.DataType.FLOAT_VALUE -> DType.FLOAT32;
      case TensorProto.DataType.UINT8_VALUE -> DType.UINT8;
      case TensorProto.DataType.INT8_VALUE -> DType.INT8;
      case TensorProto.DataType.INT32_VALUE -> DType.INT32;
      case TensorProto.DataType.INT64_VALUE -> DType.INT64;
      case TensorProto.DataType.BOOL_VALUE -> DType.BOOL;
      case TensorProto.DataType.FLOAT16_VALUE -> DType.FLOAT16;
      case TensorProto.DataType.BFLOAT16_VALUE -> DType.BFLOAT16;
      case TensorProto.DataType.DOUBLE_VALUE -> DType.FLOAT64;
      case TensorProto.DataType.INT16_VALUE -> DType.INT16;
      case TensorProto.DataType.UINT16_VALUE -> DType.UINT16;
      case TensorProto.DataType.UINT32_VALUE -> DType.UINT32;
      case TensorProto.DataType.UINT64_VALUE -> DType.UINT64;
      default -> {
        if (code <= 0 || code >= ONNX_TYPE_NAMES.length) {
          throw new KbyocException(where + ": invalid element type code " + code);
        }
        throw new OnnxUnsupportedException(where + ": element type " + onnxTypeName(code) + " is not supported");
      }
    };
  }

  /** The ONNX element type code of a kbyoc dtype. */
  public static int onnxCode(DType d) {
    return switch (d) {
      case FLOAT32 -> TensorProto.DataType.FLOAT_VALUE;
      case UINT8 -> TensorProto.DataType.UINT8_VALUE;
      case INT8 -> TensorProto.DataType.INT8_VALUE;
      case INT32 -> TensorProto.DataType.INT32_VALUE;
      case INT64 -> TensorProto.DataType.INT64_VALUE;
      case BOOL -> TensorProto.DataType.BOOL_VALUE;
      case FLOAT16 -> TensorProto.DataType.FLOAT16_VALUE;
      case BFLOAT16 -> TensorProto.DataType.BFLOAT16_VALUE;
      case FLOAT64 -> TensorProto.DataType.DOUBLE_VALUE;
      case INT16 -> TensorProto.DataType.INT16_VALUE;
      case UINT16 -> TensorProto.DataType.UINT16_VALUE;
      case UINT32 -> TensorProto.DataType.UINT32_VALUE;
      case UINT64 -> TensorProto.DataType.UINT64_VALUE;
    };
  }

  /** Reads a serialized TensorProto file (as the ONNX backend test data stores them). */
  public static NDArray readFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return toNDArray(TensorProto.parseFrom(in), file.toString());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new KbyocException(file + ": not a valid TensorProto (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new KbyocException(file + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /** Converts a tensor; {@code where} names it in error messages (file, initializer or node). */
  public static NDArray toNDArray(TensorProto t, String where) {
    String what = where + (t.getName().isEmpty() ? "" : " tensor '" + t.getName() + "'");
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      throw new OnnxUnsupportedException(what + ": external tensor data is not supported");
    }
    if (t.hasSegment()) {
      throw new OnnxUnsupportedException(what + ": segmented tensors are not supported");
    }
    DType dtype = dtypeOf(t.getDataType(), what);
    int[] shape = new int[t.getDimsCount()];
    for (int i = 0; i < shape.length; i++) {
      long d = t.getDims(i);
      if (d < 0 || d > Integer.MAX_VALUE) {
        throw new KbyocException(what + ": invalid dimension " + d);
      }
      shape[i] = (int) d;
    }
    int n = Math.toIntExact(NDArray.checkedSize(shape));
    if (!t.getRawData().isEmpty() || n == 0 && typedCount(t, dtype) == 0) {
      return fromRaw(t.getRawData(), dtype, shape, n, what);
    }
    int have = typedCount(t, dtype);
    if (have != n) {
      throw new KbyocException(what + ": shape " + java.util.Arrays.toString(shape) + " needs " + n
          + " elements but the " + fieldName(dtype) + " field holds " + have + " (wrong data_type or truncated data?)");
    }
    NDArray a = NDArray.zeros(dtype, shape);
    switch (dtype) {
      case FLOAT32 -> {
        float[] f = a.floatData();
        for (int i = 0; i < n; i++) {
          f[i] = t.getFloatData(i);
        }
      }
      case INT64 -> {
        long[] l = a.longData();
        for (int i = 0; i < n; i++) {
          l[i] = t.getInt64Data(i);
        }
      }
      case FLOAT64 -> {
        for (int i = 0; i < n; i++) {
          a.setDouble(i, t.getDoubleData(i));
        }
      }
      case UINT32, UINT64 -> {
        for (int i = 0; i < n; i++) { // uint64_data holds the unsigned bits
          long v = t.getUint64Data(i);
          a.setDouble(i, v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1));
        }
      }
      case FLOAT16, BFLOAT16 -> { // int32_data holds the 16-bit patterns
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(2 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
          b.putShort((short) t.getInt32Data(i));
        }
        return NDArray.fromBytes(dtype, shape, b.array());
      }
      default -> {
        for (int i = 0; i < n; i++) {
          a.setDouble(i, t.getInt32Data(i));
        }
      }
    }
    return a;
  }

  private static int typedCount(TensorProto t, DType dtype) {
    return switch (dtype) {
      case FLOAT32 -> t.getFloatDataCount();
      case INT64 -> t.getInt64DataCount();
      case FLOAT64 -> t.getDoubleDataCount();
      case UINT32, UINT64 -> t.getUint64DataCount();
      default -> t.getInt32DataCount();
    };
  }

  private static String fieldName(DType dtype) {
    return switch (dtype) {
      case FLOAT32 -> "float_data";
      case INT64 -> "int64_data";
      case FLOAT64 -> "double_data";
      case UINT32, UINT64 -> "uint64_data";
      default -> "int32_data";
    };
  }

  private static NDArray fromRaw(ByteString raw, DType dtype, int[] shape, int n, String what) {
    long want = (long) n * dtype.byteSize();
    if (raw.size() != want) {
      throw new KbyocException(what + ": raw_data holds " + raw.size() + " bytes but shape "
          + java.util.Arrays.toString(shape) + " of " + dtype + " needs " + want + " (wrong data_type or truncated data?)");
    }
    return NDArray.fromBytes(dtype, shape, raw.toByteArray());
  }

  /** Converts an NDArray to a TensorProto with {@code raw_data} (used by tests and model writers). */
  public static TensorProto fromNDArray(NDArray a, String name) {
    TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(onnxCode(a.dtype()));
    for (int d : a.shape()) {
      b.addDims(d);
    }
    return b.setRawData(ByteString.copyFrom(a.toBytes())).build();
  }
}
