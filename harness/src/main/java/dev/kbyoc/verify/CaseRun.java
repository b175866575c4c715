package dev.kbyoc.verify;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.Interpreter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One case pushed through the toolchain, with each stage computed once on first use and shared by
 * all oracles (so running five oracles costs one pipeline). Engine outputs are recorded by name
 * for the repro bundle.
 */
public final class CaseRun {
  private final GraphCase testCase;
  private final Toolchain toolchain;
  private final Map<String, Object> memo = new LinkedHashMap<>();
  private final Map<String, List<NDArray>> engineOutputs = new LinkedHashMap<>();

  public CaseRun(GraphCase testCase, Toolchain toolchain) {
    this.testCase = testCase;
    this.toolchain = toolchain;
  }

  public GraphCase testCase() {
    return testCase;
  }

  public Toolchain toolchain() {
    return toolchain;
  }

  public String target() {
    return testCase.options().target();
  }

  /** The case's module with weights bound as constants. */
  public IRModule bound() {
    return memo("bound", () -> toolchain.bind(testCase));
  }

  /** The bound module after annotation and region merging. */
  public IRModule merged() {
    return memo("merged", () -> toolchain.merge(bound(), target()));
  }

  /** The merged module after partitioning. */
  public IRModule partitioned() {
    return memo("partitioned", () -> toolchain.partition(merged()));
  }

  /** The partitioned module built for the graph executor (external functions via their codegens). */
  public dev.kbyoc.build.BuildResult builtPartitioned() {
    return memo("built-partitioned", () -> toolchain.build(partitioned()));
  }

  /** The bound module built without partitioning: everything on the host. */
  public dev.kbyoc.build.BuildResult builtHostOnly() {
    return memo("built-host", () -> toolchain.build(bound()));
  }

  /** The reference interpreter on the original, unbound module with weights passed as arguments. */
  public List<NDArray> reference() {
    return memo("reference", () -> record("interpreter", new Interpreter(testCase.module()).runFlat(testCase.allArgs())));
  }

  /** Memoises an artifact under a key; another stage (e.g. a build) may use this too. */
  @SuppressWarnings("unchecked")
  public <T> T memo(String key, Supplier<T> compute) {
    Object v = memo.get(key);
    if (v == null && !memo.containsKey(key)) {
      v = compute.get();
      memo.put(key, v);
    }
    return (T) v;
  }

  /** Records what an engine produced (for the repro bundle) and returns it. */
  public List<NDArray> record(String engine, List<NDArray> outputs) {
    engineOutputs.put(engine, List.copyOf(outputs));
    return outputs;
  }

  public Map<String, List<NDArray>> engineOutputs() {
    return java.util.Collections.unmodifiableMap(engineOutputs);
  }
}
