package dev.kbyoc.build;

import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.ConstantAudit;
import dev.kbyoc.runtime.GraphJson;
import dev.kbyoc.runtime.RuntimeModule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invariant every build must satisfy, so the seed bug cannot come back silently: no
 * constant is stored both in the params and inside a module blob, and every param is referenced
 * (by a graph input node or a module's declared constant names).
 *
 * <p>Duplicates are found two ways: structurally (a param named {@code <symbol>_const_<i>} for a
 * constant the module of {@code symbol} does not read from the params, i.e. embeds) and by
 * content (a param's bytes occur in a module blob, see {@link ConstantAudit}). A violation fails
 * the build with one line naming the constants, unless the default updater was forced on purpose;
 * then it is returned as a warning.
 */
public final class ConstantInvariant {
  private static final int MAX_NAMES = 8;

  /** An external function as built: its symbol, its function and the module compiled from it. */
  public record External(String symbol, Function function, RuntimeModule module) {}

  private ConstantInvariant() {}

  /** The warnings to report (empty when the invariant holds); throws when violated and not forced. */
  public static List<String> check(GraphJson graph, Map<String, NDArray> params, List<RuntimeModule> modules,
      List<External> externals, boolean forced) {
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    Set<String> constVars = new HashSet<>();
    for (RuntimeModule m : modules) {
      blobs.put(m.typeKey() + " module " + String.join(",", m.symbols()), m.serialize());
      constVars.addAll(m.constVars());
    }
    ConstantAudit audit = ConstantAudit.of(graph, params, blobs, constVars, ConstantAudit.externalSymbols(modules));
    Set<String> dups = new LinkedHashSet<>();
    long bytes = 0;
    for (External x : externals) {
      Set<String> reads = new HashSet<>(x.module().constVars());
      List<Constant> cs = DefaultConstantUpdater.constants(x.function());
      for (int i = 0; i < cs.size(); i++) {
        String n = DefaultConstantUpdater.paramName(x.symbol(), i);
        if (params.containsKey(n) && !reads.contains(n) && dups.add(n)) {
          bytes += params.get(n).byteSize();
        }
      }
    }
    for (ConstantAudit.Duplicate d : audit.duplicates()) {
      if (dups.add(d.param())) {
        bytes += d.bytes();
      }
    }
    List<String> unref = audit.unreferenced();
    if (dups.isEmpty() && unref.isEmpty()) {
      return List.of();
    }
    List<String> parts = new ArrayList<>();
    if (!dups.isEmpty()) {
      parts.add(dups.size() + " constants stored both in the params and in a module blob (" + bytes + " bytes): " + names(dups));
    }
    if (!unref.isEmpty()) {
      parts.add(unref.size() + " params not referenced by the graph: " + names(unref));
    }
    String msg = "constant invariant violated: " + String.join("; ", parts);
    if (!forced) {
      throw new KbyocException(msg + " (the codegen's registered constant updater was bypassed or is missing)");
    }
    return List.of(msg + " (allowed because --constant-updater default was given)");
  }

  private static String names(java.util.Collection<String> names) {
    List<String> l = new ArrayList<>(names);
    String shown = String.join(", ", l.subList(0, Math.min(MAX_NAMES, l.size())));
    return l.size() > MAX_NAMES ? shown + ", ... (+" + (l.size() - MAX_NAMES) + " more)" : shown;
  }
}
