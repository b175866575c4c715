package dev.kbyoc.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Immutable, ordered attributes of a call or function. Values are Long, Double, String, Boolean
 * or unmodifiable lists of Long/Double (see {@link AttrKind}). Calls of registered ops hold only
 * non-default attributes (after {@link #normalize}); {@link #withDefaults} gives the full view.
 */
public final class Attrs {
  private static final Attrs EMPTY = new Attrs(new LinkedHashMap<>());

  private final Map<String, Object> values;

  private Attrs(LinkedHashMap<String, Object> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  public static Attrs empty() {
    return EMPTY;
  }

  /** Attributes from alternating name/value pairs, e.g. {@code Attrs.of("axis", 1L)}. */
  public static Attrs of(Object... nameValues) {
    if (nameValues.length % 2 != 0) {
      throw new IllegalArgumentException("odd number of name/value arguments");
    }
    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      m.put((String) nameValues[i], normalizeValue(nameValues[i + 1]));
    }
    return new Attrs(m);
  }

  public static Attrs fromMap(Map<String, ?> map) {
    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
    map.forEach((k, v) -> m.put(k, normalizeValue(v)));
    return new Attrs(m);
  }

  private static Object normalizeValue(Object v) {
    if (v instanceof Integer i) {
      return i.longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof int[] a) {
      return java.util.Arrays.stream(a).mapToObj(x -> (long) x).toList();
    }
    if (v instanceof long[] a) {
      return java.util.Arrays.stream(a).boxed().toList();
    }
    if (v instanceof double[] a) {
      return java.util.Arrays.stream(a).boxed().toList();
    }
    if (v instanceof List<?> l) {
      return l.stream().map(Attrs::normalizeValue).toList();
    }
    return v;
  }

  /** A copy with one attribute set (replacing any previous value, keeping its position). */
  public Attrs with(String name, Object value) {
    LinkedHashMap<String, Object> m = new LinkedHashMap<>(values);
    m.put(name, normalizeValue(value));
    return new Attrs(m);
  }

  /** A copy without the named attribute. */
  public Attrs without(String name) {
    if (!values.containsKey(name)) {
      return this;
    }
    LinkedHashMap<String, Object> m = new LinkedHashMap<>(values);
    m.remove(name);
    return new Attrs(m);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public Object get(String name) {
    return values.get(name);
  }

  public Set<String> names() {
    return values.keySet();
  }

  public Map<String, Object> asMap() {
    return values;
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  private Object require(String name) {
    Object v = values.get(name);
    if (v == null) {
      throw new KbyocException("missing attribute [" + name + "]");
    }
    return v;
  }

  public long getLong(String name) {
    Object v = require(name);
    return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).longValue();
  }

  public int getInt(String name) {
    return Math.toIntExact(getLong(name));
  }

  public double getDouble(String name) {
    return ((Number) require(name)).doubleValue();
  }

  public String getString(String name) {
    return (String) require(name);
  }

  /** A string attribute, or {@code def} when absent. */
  public String getString(String name, String def) {
    Object v = values.get(name);
    return v == null ? def : v.toString();
  }

  public boolean getBool(String name) {
    Object v = require(name);
    return v instanceof Boolean b ? b : ((Number) v).longValue() != 0;
  }

  public int[] getInts(String name) {
    Object v = require(name);
    if (v instanceof Number n) {
      return new int[] {Math.toIntExact(n.longValue())};
    }
    List<?> l = (List<?>) v;
    int[] out = new int[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.toIntExact(((Number) l.get(i)).longValue());
    }
    return out;
  }

  /** A list-of-int-lists attribute ({@link AttrKind#INTS_LIST}) as a ragged int matrix. */
  public int[][] getIntsList(String name) {
    List<?> rows = (List<?>) require(name);
    int[][] out = new int[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      List<?> r = (List<?>) rows.get(i);
      out[i] = new int[r.size()];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = Math.toIntExact(((Number) r.get(j)).longValue());
      }
    }
    return out;
  }

  public double[] getDoubles(String name) {
    List<?> l = (List<?>) require(name);
    double[] out = new double[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) l.get(i)).doubleValue();
    }
    return out;
  }

  /** {@link #normalize(List, Supplier)} with a fixed op name for messages. */
  public Attrs normalize(List<AttrSpec> specs, String opName) {
    return normalize(specs, () -> opName);
  }

  /**
   * Checks names against the op's specs, converts each value to its declared kind, and drops
   * values equal to their default. Unknown or ill-typed attributes throw naming the attribute
   * and {@code opName} (built only then). Attributes that are normal already (as every call a
   * pass rebuilds from another call has) are returned as they are, without copying.
   */
  public Attrs normalize(List<AttrSpec> specs, Supplier<String> opName) {
    if (values.isEmpty()) {
      return EMPTY;
    }
    if (isNormal(specs)) {
      return this;
    }
    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
    for (AttrSpec spec : specs) {
      Object v = values.get(spec.name());
      if (v == null) {
        continue;
      }
      Object c;
      try {
        c = AttrSpec.coerce(spec.name(), spec.kind(), v);
      } catch (KbyocException e) {
        throw new KbyocException(opName.get() + ": " + e.getMessage());
      }
      if (!c.equals(spec.defaultValue())) {
        m.put(spec.name(), c);
      }
    }
    for (String name : values.keySet()) {
      if (specs.stream().noneMatch(s -> s.name().equals(name))) {
        throw new KbyocException(opName.get() + " has no attribute [" + name + "]");
      }
    }
    return m.isEmpty() ? EMPTY : new Attrs(m);
  }

  /**
   * True when {@link #normalize} would give these same values: every name has a spec, in spec
   * order, each value already has its kind's Java type and none equals its default.
   */
  private boolean isNormal(List<AttrSpec> specs) {
    int present = 0;
    for (int j = 0; j < specs.size(); j++) {
      AttrSpec spec = specs.get(j);
      Object v = values.get(spec.name());
      if (v != null) {
        if (!hasKind(spec.kind(), v) || v.equals(spec.defaultValue())) {
          return false;
        }
        present++;
      }
    }
    return present == values.size() && (present <= 1 || inSpecOrder(specs));
  }

  /** True when the names (each known to have a spec) come in spec order. */
  private boolean inSpecOrder(List<AttrSpec> specs) {
    int j = 0;
    for (String name : values.keySet()) {
      while (j < specs.size() && !specs.get(j).name().equals(name)) {
        j++;
      }
      if (j == specs.size()) {
        return false;
      }
      j++;
    }
    return true;
  }

  private static boolean hasKind(AttrKind kind, Object v) {
    return switch (kind) {
      case INT -> v instanceof Long;
      case FLOAT -> v instanceof Double;
      case STRING -> v instanceof String;
      case BOOL -> v instanceof Boolean;
      case INTS -> isListOf(v, Long.class);
      case FLOATS -> isListOf(v, Double.class);
      case INTS_LIST -> {
        if (!(v instanceof List<?> rows)) {
          yield false;
        }
        for (Object row : rows) {
          if (!isListOf(row, Long.class)) {
            yield false;
          }
        }
        yield true;
      }
    };
  }

  private static boolean isListOf(Object v, Class<?> element) {
    if (!(v instanceof List<?> l)) {
      return false;
    }
    for (Object o : l) {
      if (!element.isInstance(o)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The attributes of a new call of {@code op} at {@code span}: {@link #normalize} with the
   * message prefix {@code "<op> at <line:col>"}, built only for an error.
   */
  Attrs normalizeFor(Op op, Span span) {
    if (values.isEmpty()) {
      return EMPTY;
    }
    List<AttrSpec> specs = op.schema().attrs();
    return isNormal(specs) ? this : normalize(specs, () -> op.name() + " at " + span.lineCol());
  }

  /**
   * The full view: every spec's value, explicit or default, in spec order; missing required ones
   * absent. These attributes themselves when they are that view already (no default to add).
   */
  public Attrs withDefaults(List<AttrSpec> specs) {
    if (isFullView(specs)) {
      return this;
    }
    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
    for (AttrSpec spec : specs) {
      Object v = values.containsKey(spec.name()) ? values.get(spec.name()) : spec.defaultValue();
      if (v != null) {
        m.put(spec.name(), v);
      }
    }
    values.forEach(m::putIfAbsent);
    return new Attrs(m);
  }

  /** True when {@link #withDefaults} would give these values in this order: nothing to add or move. */
  private boolean isFullView(List<AttrSpec> specs) {
    int present = 0;
    for (int j = 0; j < specs.size(); j++) {
      AttrSpec spec = specs.get(j);
      if (values.get(spec.name()) != null) {
        present++;
      } else if (values.containsKey(spec.name()) || spec.defaultValue() != null) {
        return false;
      }
    }
    return present == values.size() && (present <= 1 || inSpecOrder(specs));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attrs a && a.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
