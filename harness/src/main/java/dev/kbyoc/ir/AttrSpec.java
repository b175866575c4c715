package dev.kbyoc.ir;

import java.util.ArrayList;
import java.util.List;

/** One declared attribute of an operator: name, kind and default value (null = required). */
public record AttrSpec(String name, AttrKind kind, Object defaultValue) {
  public AttrSpec {
    if (defaultValue != null) {
      defaultValue = coerce(name, kind, defaultValue);
    }
  }

  public static AttrSpec ints(String name, long... defaults) {
    List<Long> l = new ArrayList<>();
    for (long v : defaults) {
      l.add(v);
    }
    return new AttrSpec(name, AttrKind.INTS, l);
  }

  public static AttrSpec intsRequired(String name) {
    return new AttrSpec(name, AttrKind.INTS, null);
  }

  public static AttrSpec integer(String name, long def) {
    return new AttrSpec(name, AttrKind.INT, def);
  }

  public static AttrSpec real(String name, double def) {
    return new AttrSpec(name, AttrKind.FLOAT, def);
  }

  public static AttrSpec string(String name, String def) {
    return new AttrSpec(name, AttrKind.STRING, def);
  }

  public static AttrSpec bool(String name, boolean def) {
    return new AttrSpec(name, AttrKind.BOOL, def);
  }

  /** Converts a generic value (Number, String, Boolean, List) to this kind, or throws naming the attr. */
  @SuppressWarnings("unchecked")
  static Object coerce(String name, AttrKind kind, Object v) {
    try {
      return switch (kind) {
        case INT -> v instanceof Boolean b ? (b ? 1L : 0L) : toLong(v);
        case FLOAT -> ((Number) v).doubleValue();
        case STRING -> (String) v;
        case BOOL -> v instanceof Boolean b ? b : toLong(v) != 0;
        case INTS -> {
          List<Long> out = new ArrayList<>();
          for (Object o : asList(v)) {
            out.add(toLong(o));
          }
          yield List.copyOf(out);
        }
        case FLOATS -> {
          List<Double> out = new ArrayList<>();
          for (Object o : asList(v)) {
            out.add(((Number) o).doubleValue());
          }
          yield List.copyOf(out);
        }
        case INTS_LIST -> {
          List<List<Long>> out = new ArrayList<>();
          for (Object row : asList(v)) {
            out.add((List<Long>) coerce(name, AttrKind.INTS, row));
          }
          yield List.copyOf(out);
        }
      };
    } catch (ClassCastException | ArithmeticException e) {
      throw new KbyocException("attribute [" + name + "] expects " + kind.name().toLowerCase() + ", got [" + v + "]");
    }
  }

  private static long toLong(Object o) {
    if (o instanceof Double d) {
      if (d != Math.rint(d)) {
        throw new ArithmeticException("not an integer");
      }
      return d.longValue();
    }
    if (o instanceof Float f) {
      if (f != Math.rint(f)) {
        throw new ArithmeticException("not an integer");
      }
      return f.longValue();
    }
    return ((Number) o).longValue();
  }

  private static List<?> asList(Object v) {
    if (v instanceof List<?> l) {
      return l;
    }
    if (v instanceof Number) {
      return List.of(v);
    }
    throw new ClassCastException();
  }
}
