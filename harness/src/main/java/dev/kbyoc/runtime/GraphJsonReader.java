package dev.kbyoc.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.KbyocException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a graph JSON as TVM's {@code GraphExecutor::Load} does (keys in any order, unknown keys
 * rejected, {@code device_index} optional) and checks it is consistent: every reference points at
 * an earlier node's existing output, per-entry lists have one item per output, arg nodes are
 * inputs. Every problem is a one-line {@link KbyocException} naming the source and the field.
 */
public final class GraphJsonReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final String source;

  private GraphJsonReader(String source) {
    this.source = source;
  }

  public static GraphJson read(String json, String source) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new KbyocException(source + ": not valid JSON: " + e.getMessage().split("\n", 2)[0]);
    }
    return new GraphJsonReader(source).graph(root);
  }

  private KbyocException fail(String msg) {
    return new KbyocException(source + ": " + msg);
  }

  private GraphJson graph(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw fail("graph JSON must be an object");
    }
    List<GraphJson.Node> nodes = null;
    int[] argNodes = null;
    int[] rowPtr = null;
    List<GraphJson.EntryRef> heads = null;
    Map<String, JsonNode> attrs = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      switch (e.getKey()) {
        case "nodes" -> nodes = nodes(e.getValue());
        case "arg_nodes" -> argNodes = ints(e.getValue(), "arg_nodes");
        case "node_row_ptr" -> rowPtr = ints(e.getValue(), "node_row_ptr");
        case "heads" -> heads = refs(e.getValue(), "heads");
        case "attrs" -> e.getValue().fields().forEachRemaining(a -> attrs.put(a.getKey(), a.getValue()));
        case "metadata" -> { }
        default -> throw fail("key \"" + e.getKey() + "\" is not supported");
      }
    }
    if (nodes == null || argNodes == null || rowPtr == null || heads == null || attrs.isEmpty()) {
      throw fail("missing one of nodes, arg_nodes, heads, attrs, node_row_ptr");
    }
    List<String> dltype = new ArrayList<>();
    for (JsonNode d : typedList(attrs, "dltype", "list_str")) {
      String s = d.asText();
      try {
        DType.parse(s);
      } catch (KbyocException e) {
        throw fail("dltype: " + e.getMessage());
      }
      dltype.add(s);
    }
    List<int[]> shapes = new ArrayList<>();
    for (JsonNode s : typedList(attrs, "shape", "list_shape")) {
      shapes.add(ints(s, "shape"));
    }
    int[] storage = ints(typedList(attrs, "storage_id", "list_int"), "storage_id");
    int[] device = attrs.containsKey("device_index") ? ints(typedList(attrs, "device_index", "list_int"), "device_index") : null;
    for (String k : attrs.keySet()) {
      if (!List.of("dltype", "shape", "storage_id", "device_index").contains(k)) {
        throw fail("graph attr \"" + k + "\" is not supported");
      }
    }
    GraphJson g = new GraphJson(nodes, argNodes, heads, dltype, shapes, storage, device, rowPtr);
    validate(g);
    return g;
  }

  private void validate(GraphJson g) {
    int n = g.nodes().size();
    if (g.nodeRowPtr().length != n + 1 || g.nodeRowPtr()[0] != 0) {
      throw fail("node_row_ptr has " + g.nodeRowPtr().length + " items for " + n + " nodes");
    }
    for (int i = 0; i < n; i++) {
      int outs = g.nodeRowPtr()[i + 1] - g.nodeRowPtr()[i];
      if (outs != g.nodes().get(i).numOutputs()) {
        throw fail("node " + i + " (" + g.nodes().get(i).name() + ") has " + g.nodes().get(i).numOutputs()
            + " outputs but node_row_ptr gives " + outs);
      }
      for (GraphJson.EntryRef r : g.nodes().get(i).inputs()) {
        checkRef(g, r, i, "input of node " + i);
      }
    }
    int entries = g.numEntries();
    if (g.dltype().size() != entries || g.shapes().size() != entries || g.storageIds().length != entries
        || (g.deviceIndex() != null && g.deviceIndex().length != entries)) {
      throw fail("attrs lists must have " + entries + " items (one per node output)");
    }
    for (int a : g.argNodes()) {
      if (a < 0 || a >= n || !g.nodes().get(a).isInput()) {
        throw fail("arg_nodes item " + a + " is not an input node");
      }
    }
    for (GraphJson.EntryRef r : g.heads()) {
      checkRef(g, r, n, "head");
    }
    for (int s : g.storageIds()) {
      if (s < 0 || s > entries) {
        throw fail("storage_id " + s + " out of range");
      }
    }
  }

  private void checkRef(GraphJson g, GraphJson.EntryRef r, int before, String what) {
    if (r.nodeId() < 0 || r.nodeId() >= before || r.index() < 0 || r.index() >= g.nodes().get(r.nodeId()).numOutputs()) {
      throw fail(what + " refers to [" + r.nodeId() + ", " + r.index() + "], which does not exist before it");
    }
  }

  private List<GraphJson.Node> nodes(JsonNode arr) {
    if (!arr.isArray()) {
      throw fail("nodes must be an array");
    }
    List<GraphJson.Node> out = new ArrayList<>();
    for (JsonNode n : arr) {
      String op = text(n, "op");
      String name = text(n, "name");
      Map<String, String> attrs = null;
      if (n.has("attrs")) {
        attrs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.get("attrs").fields(); it.hasNext();) {
          Map.Entry<String, JsonNode> a = it.next();
          if (!a.getValue().isTextual()) {
            throw fail("node " + name + ": attr " + a.getKey() + " must be a string");
          }
          attrs.put(a.getKey(), a.getValue().asText());
        }
      }
      if (!op.equals("null") && !op.equals("tvm_op")) {
        throw fail("node " + name + ": unknown op type \"" + op + "\"");
      }
      if (op.equals("tvm_op") && (attrs == null || !attrs.containsKey("func_name"))) {
        throw fail("node " + name + ": tvm_op without func_name");
      }
      if (attrs != null && attrs.containsKey("num_outputs")) {
        try {
          int no = Integer.parseInt(attrs.get("num_outputs"));
          if (no < 1 || no > 1 << 16) {
            throw fail("node " + name + ": num_outputs " + no + " out of range");
          }
        } catch (NumberFormatException e) {
          throw fail("node " + name + ": num_outputs is not a number");
        }
      }
      out.add(new GraphJson.Node(op, name, attrs, n.has("inputs") ? refs(n.get("inputs"), "inputs of " + name) : List.of()));
    }
    return out;
  }

  private String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || !v.isTextual()) {
      throw fail("node field \"" + key + "\" missing or not a string");
    }
    return v.asText();
  }

  private List<GraphJson.EntryRef> refs(JsonNode arr, String what) {
    if (!arr.isArray()) {
      throw fail(what + " must be an array");
    }
    List<GraphJson.EntryRef> out = new ArrayList<>();
    for (JsonNode r : arr) {
      int[] v = ints(r, what);
      if (v.length != 2 && v.length != 3) {
        throw fail(what + ": entry reference must have 2 or 3 items");
      }
      out.add(new GraphJson.EntryRef(v[0], v[1], v.length == 3 ? v[2] : 0));
    }
    return out;
  }

  private JsonNode typedList(Map<String, JsonNode> attrs, String key, String type) {
    JsonNode v = attrs.get(key);
    if (v == null || !v.isArray() || v.size() != 2 || !type.equals(v.get(0).asText()) || !v.get(1).isArray()) {
      throw fail("graph attr \"" + key + "\" must be [\"" + type + "\", [...]]");
    }
    return v.get(1);
  }

  private int[] ints(JsonNode arr, String what) {
    if (!arr.isArray()) {
      throw fail(what + " must be an array of integers");
    }
    int[] out = new int[arr.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode x = arr.get(i);
      if (!x.canConvertToInt() || !x.isIntegralNumber() || x.asInt() < 0) {
        throw fail(what + " item " + i + " is not a non-negative integer");
      }
      out[i] = x.asInt();
    }
    return out;
  }
}
