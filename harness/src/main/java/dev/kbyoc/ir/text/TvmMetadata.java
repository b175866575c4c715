package dev.kbyoc.ir.text;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Reads the constants of a {@code #[metadata]} section, which {@code astext()} appends by
 * default: TVM's node JSON (src/node/serialization.cc {@code SaveJSON}) whose root is a map from
 * type key to node array; a {@code relay.Constant} node's {@code data} attribute indexes
 * {@code b64ndarrays}, each a base64 {@code SaveDLTensor} blob (the same layout as one array of
 * the params binary). Only {@code relay.Constant} entries are read; other meta kinds are reported
 * when the text references them.
 */
final class TvmMetadata {
  private static final long ARRAY_MAGIC = 0xDD5E40F096B4A13FL;

  private TvmMetadata() {}

  /** The {@code meta[relay.Constant][i]} data, in index order. */
  static List<NDArray> constants(String json, String where) {
    Map<String, Object> g = object(MiniJson.parse(json, where), where, "the metadata");
    List<Object> nodes = list(g.get("nodes"), where, "\"nodes\"");
    List<Object> blobs = g.containsKey("b64ndarrays") ? list(g.get("b64ndarrays"), where, "\"b64ndarrays\"") : List.of();
    Map<String, Object> root = node(nodes, g.get("root"), where);
    List<Object> keys = list(root.getOrDefault("keys", List.of()), where, "root keys");
    List<Object> data = list(root.getOrDefault("data", List.of()), where, "root data");
    List<NDArray> out = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      if (!"relay.Constant".equals(keys.get(k)) || k >= data.size()) {
        continue;
      }
      Map<String, Object> array = node(nodes, data.get(k), where);
      for (Object idx : list(array.getOrDefault("data", List.of()), where, "relay.Constant array")) {
        Map<String, Object> c = node(nodes, idx, where);
        if (!"relay.Constant".equals(c.get("type_key"))) {
          throw new KbyocException(where + ": metadata node " + idx + " is a " + c.get("type_key") + ", not a relay.Constant");
        }
        Map<String, Object> attrs = object(c.get("attrs"), where, "relay.Constant attrs");
        int t = index(attrs.get("data"), blobs.size(), where, "tensor");
        out.add(blob((String) blobs.get(t), where + " (b64ndarrays[" + t + "])"));
      }
    }
    return out;
  }

  private static Map<String, Object> node(List<Object> nodes, Object idx, String where) {
    return object(nodes.get(index(idx, nodes.size(), where, "node")), where, "node " + idx);
  }

  private static int index(Object v, int size, String where, String what) {
    long i;
    try {
      i = v instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(v));
    } catch (NumberFormatException e) {
      throw new KbyocException(where + ": bad " + what + " index [" + v + "] in the metadata");
    }
    if (i < 0 || i >= size) {
      throw new KbyocException(where + ": " + what + " index " + i + " out of range (" + size + ") in the metadata");
    }
    return (int) i;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object v, String where, String what) {
    if (v instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new KbyocException(where + ": " + what + " is not a JSON object");
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object v, String where, String what) {
    if (v instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw new KbyocException(where + ": " + what + " is not a JSON array");
  }

  /** Decodes one base64 {@code SaveDLTensor} blob, checking every length first. */
  static NDArray blob(String b64, String where) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(b64.replaceAll("\\s+", ""));
    } catch (IllegalArgumentException e) {
      throw new KbyocException(where + ": bad base64: " + e.getMessage());
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      if (b.getLong() != ARRAY_MAGIC) {
        throw new KbyocException(where + ": not a TVM NDArray (bad magic)");
      }
      b.getLong();
      b.getInt();
      b.getInt();
      int ndim = b.getInt();
      int code = b.get() & 0xFF;
      int bits = b.get() & 0xFF;
      int lanes = b.getShort() & 0xFFFF;
      DType dtype = DType.fromDl(code, bits, lanes);
      if (dtype == null || ndim < 0 || ndim > 32) {
        throw new KbyocException(where + ": unsupported array (ndim " + ndim + ", dtype code " + code + " bits " + bits + ")");
      }
      int[] shape = new int[ndim];
      for (int i = 0; i < ndim; i++) {
        long d = b.getLong();
        if (d < 0 || d > Integer.MAX_VALUE) {
          throw new KbyocException(where + ": invalid dimension " + d);
        }
        shape[i] = (int) d;
      }
      long size = b.getLong();
      if (size != NDArray.checkedSize(shape) * dtype.byteSize() || size != b.remaining()) {
        throw new KbyocException(where + ": declares " + size + " data bytes for shape " + java.util.Arrays.toString(shape)
            + " " + dtype + ", blob holds " + b.remaining());
      }
      byte[] data = new byte[(int) size];
      b.get(data);
      return NDArray.fromBytes(dtype, shape, data);
    } catch (BufferUnderflowException e) {
      throw new KbyocException(where + ": truncated NDArray blob (" + bytes.length + " bytes)");
    }
  }
}
