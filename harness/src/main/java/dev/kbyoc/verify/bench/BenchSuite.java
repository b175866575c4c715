package dev.kbyoc.verify.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The sections of {@code kbyoc bench}: those found on the class path through
 * {@link ServiceLoader} first (the golden CNNs against ONNX Runtime), then the built-in ones.
 */
public final class BenchSuite {
  private BenchSuite() {}

  /** Every section, in run order. */
  public static List<BenchSection> sections() {
    List<BenchSection> out = new ArrayList<>();
    ServiceLoader.load(BenchSection.class).forEach(out::add);
    out.add(new SimulatorBench());
    out.add(new PartitionBench());
    out.add(new FuzzBench());
    return out;
  }

  /** Whether a section named {@code name} is on the class path. */
  public static boolean has(String name) {
    return sections().stream().anyMatch(s -> s.name().equals(name));
  }
}
