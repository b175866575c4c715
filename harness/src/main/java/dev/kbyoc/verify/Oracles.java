package dev.kbyoc.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The oracle registry and the safe way to run oracles: an exception thrown by the compiler while
 * an oracle runs becomes that oracle's {@code crash:<Exception>} failure instead of aborting the
 * campaign.
 */
public final class Oracles {
  private Oracles() {}

  /** Every oracle that the current toolchain can drive, by name, in checking order. */
  public static Map<String, Oracle> all() {
    Map<String, Oracle> m = new LinkedHashMap<>();
    for (Oracle o : List.of(new PartitionSoundness(), new SemanticEquivalence(), new NumericEquivalence(),
        new QuantizedRounding(), new NoDuplicateConstants(),
        new TextRoundTrip(), new KmodelRoundTrip(), new PackageRoundTrip())) {
      m.put(o.name(), o);
    }
    return m;
  }

  /** The named oracles; an IllegalArgumentException listing the known names for an unknown one. */
  public static List<Oracle> named(List<String> names) {
    Map<String, Oracle> all = all();
    List<Oracle> out = new ArrayList<>();
    for (String n : names) {
      Oracle o = all.get(n);
      if (o == null) {
        throw new IllegalArgumentException("unknown oracle [" + n + "]; known: " + all.keySet());
      }
      out.add(o);
    }
    return out;
  }

  /** Runs one oracle, turning exceptions into crash failures. */
  public static Verdict run(Oracle o, CaseRun run) {
    try {
      return o.check(run);
    } catch (RuntimeException | StackOverflowError e) {
      return Verdict.crash(o.name(), e);
    }
  }

  /** Runs oracles in order and returns the first failure, or pass. */
  public static Verdict runAll(List<Oracle> oracles, CaseRun run) {
    for (Oracle o : oracles) {
      Verdict v = run(o, run);
      if (v.failed()) {
        return v;
      }
    }
    return Verdict.pass();
  }
}
