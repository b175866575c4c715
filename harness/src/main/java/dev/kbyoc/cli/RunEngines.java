package dev.kbyoc.cli;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.Interpreter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The engines {@code kbyoc run} offers, by name. Add an engine here to make it selectable. */
final class RunEngines {
  private static final Map<String, RunEngine> ALL = new LinkedHashMap<>();

  static {
    register(new RunEngine() {
      @Override
      public String name() {
        return "interpreter";
      }

      @Override
      public List<NDArray> run(IRModule module, Map<String, NDArray> values) {
        return new Interpreter(module).runFlat(values);
      }
    });
    register(PackageRun.GRAPH);
  }

  private RunEngines() {}

  static void register(RunEngine engine) {
    ALL.put(engine.name(), engine);
  }

  /** The named engine, or a user error listing the available ones. */
  static RunEngine get(String name) {
    RunEngine e = ALL.get(name);
    if (e == null) {
      throw new KbyocException("unknown engine [" + name + "] (available: " + String.join(", ", ALL.keySet()) + ")");
    }
    return e;
  }
}
