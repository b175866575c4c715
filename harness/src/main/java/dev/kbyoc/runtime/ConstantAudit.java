package dev.kbyoc.runtime;

import dev.kbyoc.ir.NDArray;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the constant bytes of a build or package live: for each param whether the graph (an input
 * node) or a module ({@link RuntimeModule#constVars()}) references it, and which params also
 * appear, byte for byte, inside a module blob: the duplicated weights of the seed bug. A
 * referenced param shorter than {@link #MIN_MATCH_BYTES} is not searched for (a few bytes match
 * by chance); an unreferenced one is searched for whatever its size.
 *
 * <p>A param that a host op of the graph reads and whose bytes also occur in a module blob is <em>shared</em>, not duplicated: one weight used both by a host op and inside an
 * embedding module (a kmodel cannot hand its weights to the host), or two constants that happen to
 * hold the same bytes (all zeros). Both copies are needed, so {@link #shared()} lists them apart.
 * The seed bug's copies are never graph inputs (hence TVM's {@code cannot find ... among input}).
 */
public record ConstantAudit(List<ParamInfo> params, List<Duplicate> duplicates, List<Duplicate> shared) {
  public static final int MIN_MATCH_BYTES = 64;

  /** One param: its size, content hash and whether anything uses it. */
  public record ParamInfo(String name, long bytes, String sha256, boolean referenced) {}

  /** A param whose bytes also occur in the listed module blobs. */
  public record Duplicate(String param, long bytes, String sha256, List<String> alsoIn) {}

  /**
   * Audits params against a graph and module blobs.
   *
   * @param blobs module blob bytes by a name used in messages (entry name or symbol)
   * @param constVars names modules read from the params
   * @param moduleSymbols the functions of the modules (graph nodes calling them are not host ops)
   */
  public static ConstantAudit of(GraphJson graph, Map<String, NDArray> params, Map<String, byte[]> blobs, Set<String> constVars,
      Set<String> moduleSymbols) {
    Set<String> graphInputs = new HashSet<>(graph.inputNames());
    Set<String> hostRead = graph.inputsReadByHost(moduleSymbols);
    Set<String> used = new HashSet<>(graphInputs);
    used.addAll(constVars);
    List<ParamInfo> infos = new ArrayList<>();
    List<Duplicate> dups = new ArrayList<>();
    List<Duplicate> shared = new ArrayList<>();
    params.forEach((name, a) -> {
      byte[] b = a.toBytes();
      String h = ByteSearch.sha256(b);
      infos.add(new ParamInfo(name, b.length, h, used.contains(name)));
      if (b.length >= MIN_MATCH_BYTES || (b.length > 0 && !used.contains(name))) {
        List<String> in = new ArrayList<>();
        blobs.forEach((blob, bytes) -> {
          if (ByteSearch.contains(bytes, b)) {
            in.add(blob);
          }
        });
        if (!in.isEmpty()) {
          (hostRead.contains(name) ? shared : dups).add(new Duplicate(name, b.length, h, in));
        }
      }
    });
    return new ConstantAudit(List.copyOf(infos), List.copyOf(dups), List.copyOf(shared));
  }

  /** The functions of the imported (non-host) modules: graph nodes calling them are not host ops. */
  public static Set<String> externalSymbols(List<RuntimeModule> modules) {
    Set<String> out = new HashSet<>();
    for (RuntimeModule m : modules) {
      if (!(m instanceof HostModule)) {
        out.addAll(m.symbols());
      }
    }
    return out;
  }

  /** Params nothing references. */
  public List<String> unreferenced() {
    return params.stream().filter(p -> !p.referenced()).map(ParamInfo::name).toList();
  }

  /** Bytes stored twice: one copy of every duplicated param. */
  public long wastedBytes() {
    return duplicates.stream().mapToLong(Duplicate::bytes).sum();
  }
}
