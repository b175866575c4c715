package dev.kbyoc.ir.text;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sidecar convention for {@code meta[relay.Constant][i]}: a model {@code m.relay} keeps the
 * data of its meta constants in {@code m.params} (TVM's params binary) under the keys
 * {@code meta[relay.Constant][0]}, {@code meta[relay.Constant][1]}, ... The same file may also
 * hold ordinary params (any other key), which bind to {@code @main}'s parameters by name.
 */
public final class MetaConstants {
  /** Key prefix of meta constant entries. */
  public static final String PREFIX = "meta[relay.Constant][";
  private static final Pattern KEY = Pattern.compile("meta\\[relay\\.Constant\\]\\[(\\d+)\\]");

  private MetaConstants() {}

  /** The sidecar key of constant {@code i}. */
  public static String key(int i) {
    return PREFIX + i + "]";
  }

  /** Whether a params key names a meta constant. */
  public static boolean isMetaKey(String key) {
    return key.startsWith("meta[");
  }

  /** The constants list for the parser from the meta entries of a params map; indices must be 0..n-1. */
  public static List<NDArray> fromParams(Map<String, NDArray> params, String source) {
    Map<Integer, NDArray> byIndex = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      if (!isMetaKey(e.getKey())) {
        continue;
      }
      Matcher m = KEY.matcher(e.getKey());
      if (!m.matches()) {
        throw new KbyocException(source + ": malformed meta key [" + e.getKey() + "], expected meta[relay.Constant][i]");
      }
      byIndex.put(Integer.parseInt(m.group(1)), e.getValue());
    }
    List<NDArray> out = new ArrayList<>();
    for (int i = 0; i < byIndex.size(); i++) {
      NDArray a = byIndex.get(i);
      if (a == null) {
        throw new KbyocException(source + ": meta constants are not numbered 0.." + (byIndex.size() - 1)
            + " (missing " + key(i) + ")");
      }
      out.add(a);
    }
    return out;
  }

  /** The sidecar entries for a constants list, keyed {@code meta[relay.Constant][i]} in order. */
  public static Map<String, NDArray> toParams(List<NDArray> constants) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (int i = 0; i < constants.size(); i++) {
      out.put(key(i), constants.get(i));
    }
    return out;
  }
}
