package dev.kbyoc.runtime;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Limits;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph executor: runs a {@link GraphJson} node by node, calling each {@code tvm_op}'s
 * {@code func_name} in the module defining it. Storage follows the graph's {@code storage_id}s:
 * one byte pool per id, sized for its largest entry, shared by every entry with that id, so a
 * wrong storage plan yields wrong numbers, as it would in TVM.
 *
 * <p>Params are loaded as TVM's {@code GraphExecutor::LoadParams} does: a param naming an input
 * node fills it; a param that is neither an input nor a constant some module reads is skipped
 * with the warning {@code cannot find "<name>" among input}, never an error.
 */
public final class GraphRuntime {
  private final GraphJson graph;
  private final WarningSink warnings;
  private final Map<String, RuntimeModule> bySymbol = new HashMap<>();
  private final List<RuntimeModule> modules;
  private final Map<String, Integer> inputIndex = new LinkedHashMap<>();
  private final byte[][] pools;
  private final Map<String, NDArray> moduleConstants = new HashMap<>();
  private boolean modulesReady;

  public GraphRuntime(GraphJson graph, List<RuntimeModule> modules, WarningSink warnings) {
    this.graph = graph;
    this.modules = List.copyOf(modules);
    this.warnings = warnings;
    for (RuntimeModule m : modules) {
      for (String s : m.symbols()) {
        if (bySymbol.put(s, m) != null) {
          throw new KbyocException("function " + s + " is defined by two modules");
        }
      }
    }
    for (GraphJson.Node n : graph.nodes()) {
      if (!n.isInput()) {
        String f = n.attrs().get("func_name");
        if (!f.equals("__nop") && !bySymbol.containsKey(f)) {
          throw new KbyocException("graph node " + n.name() + " calls " + f + ", which no module defines");
        }
      }
    }
    for (int a : graph.argNodes()) {
      if (inputIndex.put(graph.nodes().get(a).name(), a) != null) {
        throw new KbyocException("graph input \"" + graph.nodes().get(a).name() + "\" is declared twice");
      }
    }
    int numStorage = Arrays.stream(graph.storageIds()).max().orElse(-1) + 1;
    long[] sizes = new long[numStorage];
    for (int e = 0; e < graph.numEntries(); e++) {
      long b;
      try {
        b = entryType(e).byteSize();
      } catch (KbyocException ex) {
        throw new KbyocException("graph entry " + e + ": " + ex.getMessage());
      }
      if (b > NDArray.MAX_ELEMENTS) {
        throw new KbyocException("graph entry " + e + " of type " + entryType(e) + " needs " + b + " bytes, more than one buffer can hold");
      }
      sizes[graph.storageIds()[e]] = Math.max(sizes[graph.storageIds()[e]], b);
    }
    long total = 0;
    for (int s = 0; s < numStorage; s++) {
      Limits.checkTensorBytes(sizes[s], "graph storage " + s);
      total += sizes[s];
    }
    if (total > Limits.workspaceBytes()) {
      throw new KbyocException("graph storage needs " + total + " bytes, more than the limit " + Limits.workspaceBytes()
          + " (-D" + Limits.WORKSPACE_BYTES + ")");
    }
    pools = new byte[numStorage][];
    for (int s = 0; s < numStorage; s++) {
      pools[s] = new byte[Math.toIntExact(sizes[s])];
    }
    modulesReady = modules.stream().allMatch(m -> m.constVars().isEmpty());
  }

  public GraphRuntime(GraphJson graph, List<RuntimeModule> modules) {
    this(graph, modules, WarningSink.STDERR);
  }

  /** The input node names, in {@code arg_nodes} order (graph inputs and params). */
  public List<String> inputNames() {
    return List.copyOf(inputIndex.keySet());
  }

  public int numOutputs() {
    return graph.heads().size();
  }

  private TensorType entryType(int eid) {
    return new TensorType(graph.shapes().get(eid), DType.parse(graph.dltype().get(eid)));
  }

  /** Copies {@code value} into the named input; its type must match the graph's. */
  public void setInput(String name, NDArray value) {
    Integer nid = inputIndex.get(name);
    if (nid == null) {
      throw new KbyocException("the graph has no input \"" + name + "\"; inputs: " + inputIndex.keySet());
    }
    write(graph.entryId(nid, 0), value, "input \"" + name + "\"");
  }

  /** {@code load_params}: decodes a TVM params binary and loads it as {@link #loadParams(Map)}. */
  public void loadParams(byte[] paramsBinary) {
    loadParams(ParamsFormat.decode(paramsBinary, "params"));
  }

  /**
   * Loads params by name: inputs are filled, constants declared by modules are handed to them,
   * anything else is reported as {@code cannot find "<name>" among input}.
   */
  public void loadParams(Map<String, NDArray> params) {
    java.util.Set<String> wanted = new java.util.HashSet<>();
    modules.forEach(m -> wanted.addAll(m.constVars()));
    for (Map.Entry<String, NDArray> p : params.entrySet()) {
      if (inputIndex.containsKey(p.getKey())) {
        setInput(p.getKey(), p.getValue());
      } else if (wanted.contains(p.getKey())) {
        moduleConstants.put(p.getKey(), p.getValue());
      } else {
        warnings.warn("cannot find \"" + p.getKey() + "\" among input");
      }
    }
    for (RuntimeModule m : modules) {
      if (!m.constVars().isEmpty()) {
        m.init(moduleConstants);
      }
    }
    modulesReady = true;
  }

  /** Runs every node once, in order. */
  public void run() {
    if (!modulesReady) {
      throw new KbyocException("a module reads its constants from the params: load the params before running");
    }
    for (int nid = 0; nid < graph.nodes().size(); nid++) {
      GraphJson.Node n = graph.nodes().get(nid);
      if (n.isInput()) {
        continue;
      }
      List<NDArray> in = new ArrayList<>();
      for (GraphJson.EntryRef r : n.inputs()) {
        in.add(read(graph.entryId(r.nodeId(), r.index())));
      }
      String f = n.attrs().get("func_name");
      List<NDArray> out = f.equals("__nop") ? in.subList(0, 1) : bySymbol.get(f).run(f, in);
      if (out.size() != n.numOutputs()) {
        throw new KbyocException("node " + n.name() + ": " + f + " returned " + out.size() + " outputs, the graph expects " + n.numOutputs());
      }
      for (int i = 0; i < out.size(); i++) {
        write(graph.entryId(nid, i), out.get(i), "output " + i + " of node " + n.name());
      }
    }
  }

  /** A copy of output {@code i} (the i-th head). */
  public NDArray getOutput(int i) {
    if (i < 0 || i >= graph.heads().size()) {
      throw new KbyocException("output index " + i + " out of range (the graph has " + graph.heads().size() + " outputs)");
    }
    GraphJson.EntryRef h = graph.heads().get(i);
    return read(graph.entryId(h.nodeId(), h.index()));
  }

  private NDArray read(int eid) {
    TensorType t = entryType(eid);
    byte[] pool = pools[graph.storageIds()[eid]];
    return NDArray.fromBytes(t.dtype(), t.shape(), Arrays.copyOf(pool, Math.toIntExact(t.byteSize())));
  }

  /**
   * Stores a node's output. As in TVM's graph executor, where a module writes into the output
   * buffer the graph allocated, only the dtype and the element count must agree: a module may
   * return the same elements under another shape (a kmodel's output table has addresses and sizes,
   * not shapes, so a flattened [1, N] output comes back as [1, C, 1, 1]).
   */
  private void write(int eid, NDArray value, String what) {
    TensorType t = entryType(eid);
    if (value.dtype() != t.dtype() || value.size() != t.size()) {
      throw new KbyocException(what + " has type " + value.type() + ", the graph expects " + t);
    }
    byte[] b = value.toBytes();
    System.arraycopy(b, 0, pools[graph.storageIds()[eid]], 0, b.length);
  }
}
