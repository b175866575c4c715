package dev.kbyoc.runtime;

import java.util.List;
import java.util.Map;

/**
 * A package read and verified in full by {@link PackageReader}: its manifest, the parsed graph,
 * the params bytes (TVM params binary), the modules rebuilt by their loaders, and each entry's
 * raw bytes (for inspection).
 */
public record LoadedPackage(PackageManifest manifest, GraphJson graph, byte[] params, List<RuntimeModule> modules,
    Map<String, byte[]> entries, long archiveSize) {
  public LoadedPackage {
    modules = List.copyOf(modules);
    entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
  }
}
