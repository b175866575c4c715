package dev.kbyoc.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbyoc.ir.KbyocException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The package manifest ({@code manifest.json}, the archive's first entry): format name, format
 * version, and every other entry with its kind ({@code graph}, {@code params}, {@code module}),
 * module type, size and SHA-256. Parsing rejects anything it cannot trust with one line.
 */
public record PackageManifest(int version, List<Entry> entries) {
  public static final String NAME = "manifest.json";
  public static final String FORMAT = "kbyoc-package";
  public static final int VERSION = 1;
  /** Entry names: relative, forward slashes, no dot-dot segments, a safe alphabet. */
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One archive entry. {@code type} is the module type, null for graph and params. */
  public record Entry(String name, String kind, String type, long size, String sha256) {}

  public PackageManifest {
    entries = List.copyOf(entries);
  }

  /** Whether an entry name is safe to use (and would be safe to extract under a directory). */
  public static boolean safeName(String name) {
    return name != null && name.length() <= 255 && SAFE_NAME.matcher(name).matches() && !name.contains("..");
  }

  public Entry only(String kind, String source) {
    List<Entry> l = entries.stream().filter(e -> e.kind().equals(kind)).toList();
    if (l.size() != 1) {
      throw new KbyocException(source + ": manifest must list exactly one " + kind + " entry, found " + l.size());
    }
    return l.get(0);
  }

  public List<Entry> modules() {
    return entries.stream().filter(e -> e.kind().equals("module")).toList();
  }

  public byte[] toBytes() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", version);
    ArrayNode arr = root.putArray("entries");
    for (Entry e : entries) {
      ObjectNode o = arr.addObject();
      o.put("name", e.name());
      o.put("kind", e.kind());
      if (e.type() != null) {
        o.put("type", e.type());
      }
      o.put("size", e.size());
      o.put("sha256", e.sha256());
    }
    try {
      return MAPPER.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses and validates a manifest; {@code source} names the package in errors. */
  public static PackageManifest parse(byte[] bytes, String source) {
    JsonNode root;
    try {
      root = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new KbyocException(source + ": manifest is not valid JSON");
    }
    if (root == null || !FORMAT.equals(root.path("format").asText(null))) {
      throw new KbyocException(source + ": manifest format is not \"" + FORMAT + "\"");
    }
    JsonNode v = root.get("version");
    if (v == null || !v.isInt() || v.asInt() != VERSION) {
      throw new KbyocException(source + ": unsupported package format version " + v + " (this kbyoc reads version " + VERSION + ")");
    }
    JsonNode arr = root.get("entries");
    if (arr == null || !arr.isArray()) {
      throw new KbyocException(source + ": manifest has no entries list");
    }
    List<Entry> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode e : arr) {
      String name = e.path("name").asText(null);
      if (!safeName(name) || name.equals(NAME)) {
        throw new KbyocException(source + ": manifest entry name [" + name + "] is not a safe relative path");
      }
      if (!names.add(name)) {
        throw new KbyocException(source + ": manifest lists entry " + name + " twice");
      }
      String kind = e.path("kind").asText("");
      if (!List.of("graph", "params", "module").contains(kind)) {
        throw new KbyocException(source + ": entry " + name + " has unknown kind [" + kind + "]");
      }
      String type = kind.equals("module") ? e.path("type").asText(null) : null;
      if (kind.equals("module") && (type == null || !type.matches("[A-Za-z0-9_]+"))) {
        throw new KbyocException(source + ": module entry " + name + " has no valid type");
      }
      JsonNode size = e.get("size");
      if (size == null || !size.canConvertToLong() || size.asLong() < 0) {
        throw new KbyocException(source + ": entry " + name + " has no valid size");
      }
      String sha = e.path("sha256").asText("");
      if (!sha.matches("[0-9a-f]{64}")) {
        throw new KbyocException(source + ": entry " + name + " has no valid sha256");
      }
      out.add(new Entry(name, kind, type, size.asLong(), sha));
    }
    return new PackageManifest(VERSION, out);
  }
}
