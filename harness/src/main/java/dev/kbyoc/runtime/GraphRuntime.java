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
 * one pool per id, sized for its largest entry, shared by every entry with that id, so a wrong
 * storage plan yields wrong numbers, as it would in TVM. A pool whose entries are all float32 is a
 * {@code float[]}, others are bytes.
 *
 * <p>Each node is bound once, here: when its module offers a {@link FloatFunction} for it and all
 * its entries live in float pools, a run hands it the pools themselves (no tensor copies, no
 * allocation); otherwise its inputs are copied out as NDArrays and its outputs copied back.
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
  private final float[][] floatPools;
  private final TensorType[] entryTypes;
  private final Map<String, NDArray> moduleConstants = new HashMap<>();
  private Runnable[] plan;
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
    boolean[] allFloat = new boolean[numStorage];
    Arrays.fill(allFloat, true);
    entryTypes = new TensorType[graph.numEntries()];
    for (int e = 0; e < graph.numEntries(); e++) {
      long b;
      try {
        entryTypes[e] = new TensorType(graph.shapes().get(e), DType.parse(graph.dltype().get(e)));
        b = entryTypes[e].byteSize();
      } catch (KbyocException ex) {
        throw new KbyocException("graph entry " + e + ": " + ex.getMessage());
      }
      if (b > NDArray.MAX_ELEMENTS) {
        throw new KbyocException("graph entry " + e + " of type " + entryTypes[e] + " needs " + b + " bytes, more than one buffer can hold");
      }
      int sid = graph.storageIds()[e];
      sizes[sid] = Math.max(sizes[sid], b);
      allFloat[sid] &= entryTypes[e].dtype() == DType.FLOAT32;
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
    floatPools = new float[numStorage][];
    for (int s = 0; s < numStorage; s++) {
      if (allFloat[s]) {
        floatPools[s] = new float[Math.toIntExact(sizes[s] / 4)];
      } else {
        pools[s] = new byte[Math.toIntExact(sizes[s])];
      }
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
    if (plan == null) {
      plan = bind();
    }
    for (Runnable r : plan) {
      r.run();
    }
  }

  /** One runner per op node: the module's float function on the pools when it has one, else the copying call. */
  private Runnable[] bind() {
    List<Runnable> out = new ArrayList<>();
    for (int nid = 0; nid < graph.nodes().size(); nid++) {
      GraphJson.Node n = graph.nodes().get(nid);
      if (n.isInput()) {
        continue;
      }
      String f = n.attrs().get("func_name");
      int[] in = new int[n.inputs().size()];
      for (int i = 0; i < in.length; i++) {
        in[i] = graph.entryId(n.inputs().get(i).nodeId(), n.inputs().get(i).index());
      }
      int[] outs = new int[n.numOutputs()];
      for (int i = 0; i < outs.length; i++) {
        outs[i] = graph.entryId(nid, i);
      }
      FloatFunction ff = f.equals("__nop") || !allFloatPools(in) || !allFloatPools(outs) ? null
          : bySymbol.get(f).floatFunction(f);
      if (ff != null) {
        float[][] ins = new float[in.length][];
        float[][] os = new float[outs.length][];
        for (int i = 0; i < in.length; i++) {
          ins[i] = floatPools[graph.storageIds()[in[i]]];
        }
        for (int i = 0; i < outs.length; i++) {
          os[i] = floatPools[graph.storageIds()[outs[i]]];
        }
        out.add(() -> ff.run(ins, os));
      } else {
        out.add(() -> callCopying(n, f, in, outs));
      }
    }
    return out.toArray(new Runnable[0]);
  }

  private boolean allFloatPools(int[] eids) {
    for (int e : eids) {
      if (floatPools[graph.storageIds()[e]] == null) {
        return false;
      }
    }
    return true;
  }

  private void callCopying(GraphJson.Node n, String f, int[] inEids, int[] outEids) {
    List<NDArray> in = new ArrayList<>();
    for (int e : inEids) {
      in.add(read(e));
    }
    List<NDArray> out = f.equals("__nop") ? in.subList(0, 1) : bySymbol.get(f).run(f, in);
    if (out.size() != outEids.length) {
      throw new KbyocException("node " + n.name() + ": " + f + " returned " + out.size() + " outputs, the graph expects " + outEids.length);
    }
    for (int i = 0; i < out.size(); i++) {
      write(outEids[i], out.get(i), "output " + i + " of node " + n.name());
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
    TensorType t = entryTypes[eid];
    int sid = graph.storageIds()[eid];
    if (floatPools[sid] != null) {
      return NDArray.of(Arrays.copyOf(floatPools[sid], Math.toIntExact(t.size())), t.shape());
    }
    return NDArray.fromBytes(t.dtype(), t.shape(), Arrays.copyOf(pools[sid], Math.toIntExact(t.byteSize())));
  }

  /**
   * Stores a node's output. As in TVM's graph executor, where a module writes into the output
   * buffer the graph allocated, only the dtype and the element count must agree: a module may
   * return the same elements under another shape (a kmodel's output table has addresses and sizes,
   * not shapes, so a flattened [1, N] output comes back as [1, C, 1, 1]).
   */
  private void write(int eid, NDArray value, String what) {
    TensorType t = entryTypes[eid];
    if (value.dtype() != t.dtype() || value.size() != t.size()) {
      throw new KbyocException(what + " has type " + value.type() + ", the graph expects " + t);
    }
    int sid = graph.storageIds()[eid];
    if (floatPools[sid] != null) {
      float[] d = value.floatData();
      System.arraycopy(d, 0, floatPools[sid], 0, d.length);
    } else {
      byte[] b = value.toBytes();
      System.arraycopy(b, 0, pools[sid], 0, b.length);
    }
  }
}
