package dev.kbyoc.verify.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The sections of {@code kbyoc bench}: partition scaling first, then those found on the class path
 * through {@link ServiceLoader} (the golden CNNs against ONNX Runtime), then the other built-in
 * ones. Partition goes first because its 100k point depends on what ran before it in the JVM:
 * after the simulator section the chain's t(100k) / (10 t(10k)) was 1.63-2.0 (100k: 600-650 ms
 * CPU), first or alone 1.24-1.36 (375-410 ms), the 10k point unchanged; a fresh process is also
 * how {@code kbyoc partition} meets a large graph.
 */
public final class BenchSuite {
  private BenchSuite() {}

  /** Every section, in run order. */
  public static List<BenchSection> sections() {
    List<BenchSection> out = new ArrayList<>();
    out.add(new PartitionBench());
    ServiceLoader.load(BenchSection.class).forEach(out::add);
    out.add(new SimulatorBench());
    out.add(new FuzzBench());
    return out;
  }

  /** Whether a section named {@code name} is on the class path. */
  public static boolean has(String name) {
    return sections().stream().anyMatch(s -> s.name().equals(name));
  }
}
