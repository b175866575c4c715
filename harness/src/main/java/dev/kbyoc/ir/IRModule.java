package dev.kbyoc.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A module: named global functions, {@code main} first by convention. Immutable; the {@code with}
 * methods return new modules.
 */
public final class IRModule {
  public static final String MAIN = "main";

  private final Map<String, Function> functions;

  private IRModule(LinkedHashMap<String, Function> functions) {
    this.functions = Collections.unmodifiableMap(functions);
  }

  public static IRModule of(Map<String, Function> functions) {
    return new IRModule(new LinkedHashMap<>(functions));
  }

  /** A module with {@code main} only. */
  public static IRModule fromMain(Function main) {
    LinkedHashMap<String, Function> m = new LinkedHashMap<>();
    m.put(MAIN, main);
    return new IRModule(m);
  }

  public Map<String, Function> functions() {
    return functions;
  }

  public boolean has(String name) {
    return functions.containsKey(name);
  }

  /** The named function; a {@link KbyocException} naming it when absent. */
  public Function get(String name) {
    Function f = functions.get(name);
    if (f == null) {
      throw new KbyocException("module has no function @" + name);
    }
    return f;
  }

  public Function main() {
    Function f = functions.get(MAIN);
    if (f == null) {
      throw new KbyocException("module has no @main function");
    }
    return f;
  }

  /** A copy with the function added or replaced (a new name goes last). */
  public IRModule with(String name, Function f) {
    LinkedHashMap<String, Function> m = new LinkedHashMap<>(functions);
    m.put(name, f);
    return new IRModule(m);
  }

  /** A copy without the named function. */
  public IRModule without(String name) {
    LinkedHashMap<String, Function> m = new LinkedHashMap<>(functions);
    m.remove(name);
    return new IRModule(m);
  }
}
