package dev.kbyoc.onnx;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx.GraphProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;

/**
 * The state of one graph import (steps 2..6 of {@link OnnxImporter}): typed input Vars,
 * initializer Vars and values, the node-by-node conversion, and the final {@code @main}.
 */
final class GraphImport {
  private final String file;
  private final GraphProto graph;
  private final OnnxImporter.Options options;
  private final ImportContext cx;
  private final List<Var> inputVars = new ArrayList<>();
  private final Map<String, Var> initVars = new LinkedHashMap<>();
  private final Map<String, NDArray> initValues = new LinkedHashMap<>();
  private final List<String> inputNames = new ArrayList<>();

  GraphImport(String file, int opset, GraphProto graph, OnnxImporter.Options options) {
    this.file = file;
    this.graph = graph;
    this.options = options;
    this.cx = new ImportContext(file, opset);
  }

  OnnxModel run() {
    defineInitializers();
    defineInputs();
    Set<String> defined = new HashSet<>(initValues.keySet());
    defined.addAll(inputNames);
    List<NodeProto> nodes = graph.getNodeList();
    List<Integer> order = GraphOrder.sort(file, nodes, defined);
    Converters.checkSupported(file, nodes);
    for (int i : order) {
      convert(nodes.get(i), i);
    }
    return finish();
  }

  private void defineInitializers() {
    for (TensorProto t : graph.getInitializerList()) {
      String name = t.getName();
      if (name.isEmpty()) {
        throw new KbyocException(file + ": an initializer has no name");
      }
      if (initValues.containsKey(name)) {
        throw new KbyocException(file + ": initializer '" + name + "' is defined twice");
      }
      NDArray v = TensorProtos.toNDArray(t, file + ": initializer '" + name + "'");
      initValues.put(name, v);
      if (v.dtype() == DType.FLOAT32) {
        Var var = new Var(name, v.type());
        var.setCheckedType(v.type());
        initVars.put(name, var);
        cx.define(name, var, v);
      } else {
        cx.define(name, cx.constant(v), v);
      }
    }
  }

  private void defineInputs() {
    List<String> real = graph.getInputList().stream().map(ValueInfoProto::getName)
        .filter(n -> !initValues.containsKey(n)).toList();
    for (String name : options.shapes().keySet()) {
      if (!real.contains(name)) {
        throw new KbyocException(file + ": --shape names '" + name + "', which is not a graph input (inputs: "
            + String.join(", ", real) + ")");
      }
    }
    Set<String> seen = new HashSet<>();
    for (ValueInfoProto in : graph.getInputList()) {
      String name = in.getName();
      if (!seen.add(name)) {
        throw new KbyocException(file + ": graph input '" + name + "' is listed twice");
      }
      if (initValues.containsKey(name)) {
        continue; // IR < 4 lists initializers among the inputs
      }
      inputNames.add(name);
      NDArray frozen = options.frozen().get(name);
      if (frozen != null) {
        cx.define(name, cx.constant(frozen), frozen);
        continue;
      }
      TensorType t = inputType(in);
      Var v = new Var(name, t);
      v.setCheckedType(t);
      inputVars.add(v);
      cx.define(name, v, null);
    }
  }

  private TensorType inputType(ValueInfoProto in) {
    String where = file + ": graph input '" + in.getName() + "'";
    TypeProto tp = in.getType();
    if (!tp.hasTensorType()) {
      throw new OnnxUnsupportedException(where + ": only tensor inputs are supported");
    }
    DType dtype = TensorProtos.dtypeOf(tp.getTensorType().getElemType(), where);
    int[] fixed = options.shapes().get(in.getName());
    TensorShapeProto sp = tp.getTensorType().getShape();
    if (fixed != null) {
      if (tp.getTensorType().hasShape() && sp.getDimCount() != fixed.length) {
        throw new KbyocException(where + ": --shape gives rank " + fixed.length + " but the model declares rank "
            + sp.getDimCount());
      }
      for (int i = 0; i < sp.getDimCount(); i++) {
        TensorShapeProto.Dimension d = sp.getDim(i);
        if (d.hasDimValue() && d.getDimValue() != fixed[i]) {
          throw new KbyocException(where + ": --shape gives " + fixed[i] + " for axis " + i
              + " but the model fixes it to " + d.getDimValue());
        }
      }
      return new TensorType(fixed, dtype);
    }
    if (!tp.getTensorType().hasShape()) {
      throw new KbyocException(where + ": has no shape; give one with --shape " + in.getName() + "=1x3x224x224");
    }
    int[] shape = new int[sp.getDimCount()];
    for (int i = 0; i < shape.length; i++) {
      TensorShapeProto.Dimension d = sp.getDim(i);
      if (!d.hasDimValue() || d.getDimValue() < 0) {
        String sym = d.hasDimParam() ? " '" + d.getDimParam() + "'" : "";
        throw new KbyocException(where + ": dimension " + i + sym + " is dynamic; fix it with --shape "
            + in.getName() + "=" + exampleShape(sp));
      }
      if (d.getDimValue() > Integer.MAX_VALUE) {
        throw new KbyocException(where + ": dimension " + i + " = " + d.getDimValue() + " is too large");
      }
      shape[i] = (int) d.getDimValue();
    }
    return new TensorType(shape, dtype);
  }

  private static String exampleShape(TensorShapeProto sp) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < sp.getDimCount(); i++) {
      TensorShapeProto.Dimension d = sp.getDim(i);
      sb.append(i == 0 ? "" : "x").append(d.hasDimValue() && d.getDimValue() > 0 ? d.getDimValue() : 1);
    }
    return sb.toString();
  }

  private void convert(NodeProto node, int index) {
    cx.enter(node, index);
    List<Expr> outs = Converters.convert(cx);
    for (int k = 0; k < node.getOutputCount(); k++) {
      String name = node.getOutput(k);
      if (name.isEmpty()) {
        continue;
      }
      if (k >= outs.size()) {
        throw cx.unsupported("output " + k + " ('" + name + "') is not supported");
      }
      cx.define(name, outs.get(k), null);
    }
  }

  private OnnxModel finish() {
    List<Expr> outs = new ArrayList<>();
    List<String> outNames = new ArrayList<>();
    for (ValueInfoProto o : graph.getOutputList()) {
      if (o.hasType() && !o.getType().hasTensorType()) {
        throw new OnnxUnsupportedException(file + ": graph output '" + o.getName() + "': only tensor outputs are supported");
      }
      Expr e = cx.exprOf(o.getName());
      if (e == null) {
        throw new KbyocException(file + ": graph output '" + o.getName() + "' is not produced by any node");
      }
      outs.add(e);
      outNames.add(o.getName());
    }
    if (outs.isEmpty()) {
      throw new KbyocException(file + ": the graph has no outputs");
    }
    Expr body = outs.size() == 1 ? outs.get(0) : new Tuple(outs);
    Set<Expr> used = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    used.addAll(PostOrder.of(body));
    List<Var> params = new ArrayList<>(inputVars);
    Map<String, NDArray> paramValues = new LinkedHashMap<>();
    for (Map.Entry<String, Var> e : initVars.entrySet()) {
      if (used.contains(e.getValue())) {
        params.add(e.getValue());
        paramValues.put(e.getKey(), initValues.get(e.getKey()));
      }
    }
    IRModule module = InferType.run(IRModule.fromMain(new Function(params, body)));
    return new OnnxModel(module, paramValues, inputNames, outNames);
  }
}
