package dev.kbyoc.op;

import dev.kbyoc.ir.KbyocException;
import java.util.Collections;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.Map;

/** The registry of built-in targets by name, filled once from every {@link TargetLibrary}. */
public final class Targets {
  private static volatile Map<String, Target> registry;

  private Targets() {}

  private static Map<String, Target> registry() {
    Map<String, Target> r = registry;
    if (r == null) {
      synchronized (Targets.class) {
        r = registry;
        if (r == null) {
          Map<String, Target> m = new TreeMap<>();
          Map<String, Integer> prio = new TreeMap<>();
          for (TargetLibrary lib : ServiceLoader.load(TargetLibrary.class, Targets.class.getClassLoader())) {
            for (Target t : lib.targets()) {
              Integer old = prio.get(t.name());
              if (old != null && old == lib.priority()) {
                throw new IllegalStateException("target " + t.name() + " registered twice at priority " + old);
              }
              if (old == null || lib.priority() > old) {
                m.put(t.name(), t);
                prio.put(t.name(), lib.priority());
              }
            }
          }
          registry = r = Collections.unmodifiableMap(m);
        }
      }
    }
    return r;
  }

  /** The built-in target; a {@link KbyocException} listing the known ones when absent. */
  public static Target get(String name) {
    Target t = registry().get(name);
    if (t == null) {
      throw new KbyocException("unknown target [" + name + "]; built-in targets: " + registry().keySet()
          + " (or define one with --supported-ops)");
    }
    return t;
  }

  public static boolean exists(String name) {
    return registry().containsKey(name);
  }

  /** Every built-in target by name. */
  public static Map<String, Target> all() {
    return registry();
  }
}
