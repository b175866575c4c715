package dev.kbyoc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.build.BuildResult;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.GraphRuntime;
import dev.kbyoc.runtime.Interpreter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A build run on a fresh graph runtime, and the check that it gives the reference interpreter's outputs. */
public final class HostRun {
  private HostRun() {}

  /** The outputs of one run of {@code r} (params loaded) on {@code inputs}. */
  public static List<NDArray> outputs(BuildResult r, Map<String, NDArray> inputs) {
    GraphRuntime rt = new GraphRuntime(r.graph(), r.modules(), w -> { });
    rt.loadParams(r.params());
    inputs.forEach(rt::setInput);
    rt.run();
    List<NDArray> out = new ArrayList<>();
    for (int i = 0; i < rt.numOutputs(); i++) {
      out.add(rt.getOutput(i));
    }
    return out;
  }

  /** Asserts that {@code r}, built from {@code m}, gives the interpreter's outputs of {@code m} bit for bit. */
  public static void assertSameAsInterpreter(IRModule m, BuildResult r, Map<String, NDArray> inputs, String what) {
    assertEquals(new Interpreter(m).runFlat(inputs), outputs(r, inputs), what);
  }
}
