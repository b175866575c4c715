package dev.kbyoc.op;

import dev.kbyoc.ir.KbyocException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
          List<TargetLibrary> libs = new ArrayList<>();
          ServiceLoader.load(TargetLibrary.class, Targets.class.getClassLoader()).forEach(libs::add);
          Map<String, Target> m = resolve(libs);
          registry = r = Collections.unmodifiableMap(m);
        }
      }
    }
    return r;
  }

  /**
   * The targets of several libraries by name: for a name defined more than once the library with
   * the highest {@link TargetLibrary#priority()} wins; two definitions at one priority are a bug.
   */
  static Map<String, Target> resolve(List<TargetLibrary> libs) {
    Map<String, Target> m = new TreeMap<>();
    Map<String, Integer> prio = new TreeMap<>();
    for (TargetLibrary lib : libs) {
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
    return m;
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
