package dev.kbyoc.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbyoc.ir.NDArray;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code kbyoc inspect} reports about a loaded package: its entries with sizes, every param
 * with whether the graph references it (as an input node, or through a module that reads it at
 * init), and every param whose bytes also sit inside a module blob, with the bytes wasted.
 */
public final class PackageInspector {
  private final LoadedPackage pkg;
  private final Map<String, NDArray> params;
  private final ConstantAudit audit;
  private final Map<String, String> readBy = new HashMap<>();

  public PackageInspector(LoadedPackage pkg, Map<String, NDArray> params) {
    this.pkg = pkg;
    this.params = params;
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    List<PackageManifest.Entry> mods = pkg.manifest().modules();
    for (int i = 0; i < mods.size(); i++) {
      blobs.put(mods.get(i).name(), pkg.entries().get(mods.get(i).name()));
      RuntimeModule m = pkg.modules().get(i);
      m.constVars().forEach(v -> readBy.put(v, m.typeKey() + " module " + String.join(",", m.symbols())));
    }
    this.audit = ConstantAudit.of(pkg.graph(), params, blobs, readBy.keySet(),
        ConstantAudit.externalSymbols(pkg.modules()));
  }

  public ConstantAudit audit() {
    return audit;
  }

  /** The human-readable report. */
  public String toText(String name) {
    StringBuilder sb = new StringBuilder();
    sb.append("package ").append(name).append(": ").append(pkg.archiveSize()).append(" bytes, format version ")
        .append(pkg.manifest().version()).append('\n');
    sb.append("entries:\n");
    List<PackageManifest.Entry> mods = pkg.manifest().modules();
    for (PackageManifest.Entry e : pkg.manifest().entries()) {
      String what = e.type() == null ? e.kind() : e.kind() + " " + e.type();
      int i = mods.indexOf(e);
      if (i >= 0) {
        what += " " + pkg.modules().get(i).symbols();
      }
      sb.append(String.format("  %-32s %10d bytes  %s%n", e.name(), e.size(), what));
    }
    sb.append("params (").append(params.size()).append("):\n");
    int nameWidth = 4;
    int typeWidth = 4;
    for (ConstantAudit.ParamInfo p : audit.params()) {
      nameWidth = Math.max(nameWidth, p.name().length());
      typeWidth = Math.max(typeWidth, params.get(p.name()).type().toRelay().length());
    }
    String row = "  %-" + nameWidth + "s  %-" + typeWidth + "s %9d bytes  referenced by graph: %s%n";
    for (ConstantAudit.ParamInfo p : audit.params()) {
      String ref = !p.referenced() ? "no" : readBy.containsKey(p.name()) ? "yes (read by " + readBy.get(p.name()) + ")" : "yes";
      sb.append(String.format(row, p.name(), params.get(p.name()).type().toRelay(), p.bytes(), ref));
    }
    sb.append("duplicated constants (by content hash): ").append(audit.duplicates().size())
        .append(", wasted bytes: ").append(audit.wastedBytes()).append('\n');
    for (ConstantAudit.Duplicate d : audit.duplicates()) {
      sb.append(String.format("  %-" + nameWidth + "s  sha256 %s  %9d bytes  also in %s%n", d.param(), d.sha256().substring(0, 16), d.bytes(),
          String.join(", ", d.alsoIn())));
    }
    if (!audit.shared().isEmpty()) {
      sb.append("shared constants (a host op reads the param, a module embeds the same bytes): ")
          .append(audit.shared().size()).append('\n');
      for (ConstantAudit.Duplicate d : audit.shared()) {
        sb.append(String.format("  %-" + nameWidth + "s  sha256 %s  %9d bytes  also in %s%n", d.param(),
            d.sha256().substring(0, 16), d.bytes(), String.join(", ", d.alsoIn())));
      }
    }
    return sb.toString();
  }

  /** The report as JSON. */
  public String toJson(String name) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("package", name);
    root.put("size", pkg.archiveSize());
    root.put("format_version", pkg.manifest().version());
    ArrayNode entries = root.putArray("entries");
    for (PackageManifest.Entry e : pkg.manifest().entries()) {
      ObjectNode o = entries.addObject().put("name", e.name()).put("kind", e.kind());
      if (e.type() != null) {
        o.put("type", e.type());
        pkg.modules().get(pkg.manifest().modules().indexOf(e)).symbols().forEach(o.putArray("symbols")::add);
      }
      o.put("size", e.size()).put("sha256", e.sha256());
    }
    ArrayNode ps = root.putArray("params");
    for (ConstantAudit.ParamInfo p : audit.params()) {
      ObjectNode o = ps.addObject().put("name", p.name()).put("type", params.get(p.name()).type().toRelay())
          .put("bytes", p.bytes()).put("sha256", p.sha256()).put("referenced_by_graph", p.referenced());
      if (readBy.containsKey(p.name())) {
        o.put("read_by", readBy.get(p.name()));
      }
    }
    ArrayNode ds = root.putArray("duplicates");
    for (ConstantAudit.Duplicate d : audit.duplicates()) {
      ObjectNode o = ds.addObject().put("param", d.param()).put("bytes", d.bytes()).put("sha256", d.sha256());
      d.alsoIn().forEach(o.putArray("also_in")::add);
    }
    ArrayNode sh = root.putArray("shared");
    for (ConstantAudit.Duplicate d : audit.shared()) {
      ObjectNode o = sh.addObject().put("param", d.param()).put("bytes", d.bytes()).put("sha256", d.sha256());
      d.alsoIn().forEach(o.putArray("also_in")::add);
    }
    root.put("wasted_bytes", audit.wastedBytes());
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
