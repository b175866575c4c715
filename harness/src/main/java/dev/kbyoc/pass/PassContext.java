package dev.kbyoc.pass;

import dev.kbyoc.ir.IRModule;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Options and instrumentation for a pass run: optimisation level, per-pass wall time, and an
 * optional hook that dumps the IR after each pass (the CLI's {@code --dump-ir DIR} prints Relay
 * text there).
 */
public final class PassContext {
  private final int optLevel;
  private final Path dumpDir;
  private final BiConsumer<String, IRModule> dumper;
  private final Map<String, Long> nanos = new LinkedHashMap<>();
  private int step;

  private PassContext(int optLevel, Path dumpDir, BiConsumer<String, IRModule> dumper) {
    this.optLevel = optLevel;
    this.dumpDir = dumpDir;
    this.dumper = dumper;
  }

  /** opt level 2, no dumps. */
  public static PassContext defaults() {
    return new PassContext(2, null, null);
  }

  /** A context that calls {@code dumper(stepName, module)} after each pass, e.g. to write files in {@code dir}. */
  public PassContext withDump(Path dir, BiConsumer<String, IRModule> dumper) {
    return new PassContext(optLevel, dir, dumper);
  }

  public PassContext withOptLevel(int level) {
    return new PassContext(level, dumpDir, dumper);
  }

  public int optLevel() {
    return optLevel;
  }

  public Path dumpDir() {
    return dumpDir;
  }

  /** Runs one pass: times it and dumps its output when asked. */
  public IRModule run(Pass pass, IRModule module) {
    long t0 = System.nanoTime();
    IRModule out = pass.apply(module, this);
    nanos.merge(pass.name(), System.nanoTime() - t0, Long::sum);
    if (dumper != null) {
      dumper.accept(String.format("%02d_%s", ++step, pass.name()), out);
    }
    return out;
  }

  /** Wall time per pass name in nanoseconds, in first-run order. */
  public Map<String, Long> timings() {
    return Map.copyOf(nanos);
  }
}
