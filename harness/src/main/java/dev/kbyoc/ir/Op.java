package dev.kbyoc.ir;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * A registered primitive operator, used as the callee of a {@link Call}. Instances are interned by
 * name; their schemas come from every {@link OpLibrary} on the class path.
 */
public final class Op extends Expr {
  private static volatile Map<String, Op> registry;

  private final OpSchema schema;

  private Op(OpSchema schema) {
    super(Span.NONE);
    this.schema = schema;
  }

  private static Map<String, Op> registry() {
    Map<String, Op> r = registry;
    if (r == null) {
      synchronized (Op.class) {
        r = registry;
        if (r == null) {
          Map<String, Op> m = new TreeMap<>();
          for (OpLibrary lib : ServiceLoader.load(OpLibrary.class, Op.class.getClassLoader())) {
            for (OpSchema s : lib.ops()) {
              if (m.put(s.name(), new Op(s)) != null) {
                throw new IllegalStateException("operator " + s.name() + " registered twice");
              }
            }
          }
          registry = r = Collections.unmodifiableMap(m);
        }
      }
    }
    return r;
  }

  /** The registered op; throws a {@link KbyocException} naming it when unknown. */
  public static Op get(String name) {
    Op op = registry().get(name);
    if (op == null) {
      throw new KbyocException("unknown operator [" + name + "]");
    }
    return op;
  }

  /** Whether an op of this name is registered. */
  public static boolean exists(String name) {
    return registry().containsKey(name);
  }

  /** Every registered op, by name. */
  public static Map<String, Op> all() {
    return registry();
  }

  public String name() {
    return schema.name();
  }

  public OpSchema schema() {
    return schema;
  }

  @Override
  public String describe() {
    return name();
  }

  @Override
  public String toString() {
    return name();
  }
}
