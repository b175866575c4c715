package dev.kbyoc.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph executor's JSON graph, field for field as TVM writes and reads it: {@code nodes}
 * (input nodes {@code "op": "null"}, kernel calls {@code "op": "tvm_op"} with string attrs),
 * {@code arg_nodes}, {@code heads}, {@code attrs} ({@code dltype}, {@code device_index},
 * {@code storage_id}, {@code shape}, one entry per node output) and {@code node_row_ptr}.
 *
 * @param deviceIndex per-entry device type, or null when absent
 */
public record GraphJson(List<Node> nodes, int[] argNodes, List<EntryRef> heads, List<String> dltype,
    List<int[]> shapes, int[] storageIds, int[] deviceIndex, int[] nodeRowPtr) {

  /** A node output reference {@code [node_id, index, version]}. */
  public record EntryRef(int nodeId, int index, int version) {}

  /** A node; {@code attrs} is null for input nodes (which TVM writes without an attrs field). */
  public record Node(String op, String name, Map<String, String> attrs, List<EntryRef> inputs) {
    public boolean isInput() {
      return "null".equals(op);
    }

    /** The number of outputs: {@code num_outputs} of an op node, 1 for an input. */
    public int numOutputs() {
      return attrs == null ? 1 : Integer.parseInt(attrs.getOrDefault("num_outputs", "1"));
    }
  }

  /** An input node as {@code GraphInputNode::Save} writes it. */
  public static Node input(String name) {
    return new Node("null", name, null, List.of());
  }

  /**
   * A {@code tvm_op} node with attrs in the order TVM's writer emits them (its
   * {@code unordered_map} iterates the four keys in reverse insertion order under libstdc++).
   */
  public static Node op(String name, String funcName, List<EntryRef> inputs, int numOutputs) {
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("num_outputs", Integer.toString(numOutputs));
    attrs.put("num_inputs", Integer.toString(inputs.size()));
    attrs.put("flatten_data", "0");
    attrs.put("func_name", funcName);
    return new Node("tvm_op", name, attrs, List.copyOf(inputs));
  }

  /** Index of the first entry of node {@code nid} in the per-entry lists. */
  public int entryId(int nid, int index) {
    return nodeRowPtr[nid] + index;
  }

  public int numEntries() {
    return nodeRowPtr[nodeRowPtr.length - 1];
  }

  /** The JSON text, byte for byte as TVM's {@code GraphExecutorCodegen::GetJSON} writes it. */
  public String toJson() {
    DmlcJsonWriter w = new DmlcJsonWriter();
    w.beginObject(true);
    w.key("nodes");
    w.beginArray(true);
    for (Node n : nodes) {
      w.item();
      writeNode(w, n);
    }
    w.endArray();
    w.key("arg_nodes");
    w.intArray(argNodes);
    w.key("heads");
    writeRefs(w, heads);
    w.key("attrs");
    w.beginObject(true);
    w.key("dltype");
    w.beginArray(true);
    w.item();
    w.string("list_str");
    w.item();
    w.beginArray(true);
    for (String d : dltype) {
      w.item();
      w.string(d);
    }
    w.endArray();
    w.endArray();
    if (deviceIndex != null) {
      listInt(w, "device_index", deviceIndex);
    }
    listInt(w, "storage_id", storageIds);
    w.key("shape");
    w.beginArray(true);
    w.item();
    w.string("list_shape");
    w.item();
    w.beginArray(true);
    for (int[] s : shapes) {
      w.item();
      w.intArray(s);
    }
    w.endArray();
    w.endArray();
    w.endObject();
    w.key("node_row_ptr");
    w.intArray(nodeRowPtr);
    w.endObject();
    return w.toString();
  }

  private static void listInt(DmlcJsonWriter w, String key, int[] values) {
    w.key(key);
    w.beginArray(true);
    w.item();
    w.string("list_int");
    w.item();
    w.intArray(values);
    w.endArray();
  }

  private static void writeNode(DmlcJsonWriter w, Node n) {
    w.beginObject(true);
    w.key("op");
    w.string(n.op());
    w.key("name");
    w.string(n.name());
    if (n.attrs() != null) {
      w.key("attrs");
      w.beginObject(true);
      for (Map.Entry<String, String> e : n.attrs().entrySet()) {
        w.key(e.getKey());
        w.string(e.getValue());
      }
      w.endObject();
      w.key("inputs");
      writeRefs(w, n.inputs());
    } else {
      w.key("inputs");
      w.beginArray(false);
      w.endArray();
    }
    w.endObject();
  }

  private static void writeRefs(DmlcJsonWriter w, List<EntryRef> refs) {
    w.beginArray(true);
    for (EntryRef r : refs) {
      w.item();
      w.beginArray(true);
      for (int v : new int[] {r.nodeId(), r.index(), r.version()}) {
        w.item();
        w.value(v);
      }
      w.endArray();
    }
    w.endArray();
  }

  /**
   * The names of the input nodes that some host op reads: an op node whose {@code func_name} is
   * not one of {@code externalSymbols} (the functions of imported modules such as kmodels).
   */
  public java.util.Set<String> inputsReadByHost(java.util.Set<String> externalSymbols) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (Node n : nodes) {
      if (n.isInput() || externalSymbols.contains(n.attrs().get("func_name"))) {
        continue;
      }
      for (EntryRef e : n.inputs()) {
        Node in = nodes.get(e.nodeId());
        if (in.isInput()) {
          out.add(in.name());
        }
      }
    }
    return out;
  }

  /** The names of the input nodes, in {@code arg_nodes} order. */
  public List<String> inputNames() {
    List<String> out = new ArrayList<>();
    for (int a : argNodes) {
      out.add(nodes.get(a).name());
    }
    return out;
  }
}
