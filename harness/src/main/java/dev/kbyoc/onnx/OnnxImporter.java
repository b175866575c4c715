package dev.kbyoc.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Limits;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;

/**
 * Reads an ONNX model into Relay.
 *
 * <p><b>Input:</b> a {@code .onnx} file of the default domain at opset 7..17 (older opsets in their legacy forms), with static input
 * shapes (dynamic dims fixed by {@code --shape NAME=1x3x224x224}).
 * <b>Output:</b> an {@link OnnxModel}: {@code @main(graph inputs..., used initializers...)} and
 * the initializer values by their ONNX names.
 * <b>Algorithm:</b> 1. parse the protobuf and check opsets; 2. define graph inputs (typed Vars) and
 * initializers (Vars, or constants for integer initializers, which are shape/index data);
 * 3. order the nodes topologically, rejecting undefined tensors and cycles; 4. list every op type
 * without a converter and fail once naming them all; 5. convert node by node, folding nodes whose
 * inputs are all known at import time; 6. make the outputs the body (a tuple when several) and
 * the graph inputs plus the initializers the body uses the parameters.
 * <b>Runs before:</b> {@code bind_params_by_name} and the partitioning passes.
 */
public final class OnnxImporter {
  /**
   * Lowest and highest default-domain opset imported. The ops are converted as of opsets 7..17;
   * models declaring an older opset import too, with the legacy forms of the supported ops
   * (broadcast/axis attributes, Reshape's and Pad's attributes) converted or rejected as unsupported.
   */
  public static final int MIN_OPSET = 1;
  public static final int MAX_OPSET = 17;

  /**
   * Import options: {@code shapes} fixes graph input shapes by name (needed for dynamic dims);
   * {@code frozen} replaces graph inputs by constant values (e.g. a Reshape's target shape that a
   * test feeds as an input).
   */
  public record Options(Map<String, int[]> shapes, Map<String, NDArray> frozen) {
    public static final Options DEFAULT = new Options(Map.of(), Map.of());

    public Options {
      shapes = Map.copyOf(shapes);
      frozen = Map.copyOf(frozen);
    }

    public Options withShapes(Map<String, int[]> s) {
      return new Options(s, frozen);
    }

    public Options withFrozen(Map<String, NDArray> f) {
      return new Options(shapes, f);
    }
  }

  private OnnxImporter() {}

  /** Imports a file with default options. */
  public static OnnxModel load(Path file) {
    return load(file, Options.DEFAULT);
  }

  /** Imports a file; every error is a one-line {@link KbyocException} naming the file and node. */
  public static OnnxModel load(Path file, Options options) {
    return fromBytes(Limits.readFile(file, "ONNX model"), file.toString(), options);
  }

  /** Imports serialized ONNX; {@code file} names the source in messages. */
  public static OnnxModel fromBytes(byte[] bytes, String file, Options options) {
    try {
      return importBytes(bytes, file, options);
    } catch (OnnxUnsupportedException e) {
      throw new OnnxUnsupportedException(oneLine(e.getMessage()), e.staticInput());
    } catch (ArithmeticException e) {
      // Math.*Exact on a dimension, attribute or index read from the file (the converters use int sizes)
      throw new KbyocException(file + ": a dimension, attribute or index in the model overflows 32 bits ("
          + e.getMessage() + ")", e);
    } catch (KbyocException e) {
      String m = e.getMessage().startsWith(file) ? e.getMessage() : file + ": " + e.getMessage();
      throw new KbyocException(oneLine(m), e);
    }
  }

  /** Escapes control characters (names in a corrupt file may hold newlines) to keep messages one line. */
  static String oneLine(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (Character.isISOControl(c)) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static OnnxModel importBytes(byte[] bytes, String file, Options options) {
    ModelProto model;
    try {
      model = ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new KbyocException(file + ": not a valid ONNX model (truncated or corrupt protobuf: " + e.getMessage() + ")");
    }
    if (!model.hasGraph() || model.getIrVersion() <= 0) {
      throw new KbyocException(file + ": not an ONNX model (no graph or ir_version)");
    }
    int opset = checkOpsets(file, model);
    return new OnnxImporter.Run(file, opset, model.getGraph(), options).run();
  }

  /**
   * The default-domain opset version. A node of a domain the model does not import is malformed;
   * one of an imported domain other than ai.onnx is unsupported, as is an opset outside 7..17.
   */
  private static int checkOpsets(String file, ModelProto model) {
    Set<String> domains = new HashSet<>();
    int opset = -1;
    for (OperatorSetIdProto o : model.getOpsetImportList()) {
      String d = o.getDomain();
      domains.add(d);
      if (d.isEmpty() || d.equals("ai.onnx")) {
        opset = (int) o.getVersion();
      }
    }
    List<NodeProto> nodes = model.getGraph().getNodeList();
    for (int i = 0; i < nodes.size(); i++) {
      String d = nodes.get(i).getDomain();
      if (d.isEmpty() || d.equals("ai.onnx")) {
        continue;
      }
      String where = ImportContext.describe(file, nodes.get(i), i);
      if (!domains.contains(d)) {
        throw new KbyocException(where + ": unknown opset domain '" + d + "' (not imported by the model)");
      }
      throw new OnnxUnsupportedException(where + ": opset domain '" + d + "' is not supported (only ai.onnx)");
    }
    if (opset < 0) {
      throw new KbyocException(file + ": the model imports no default-domain (ai.onnx) opset");
    }
    if (opset < MIN_OPSET || opset > MAX_OPSET) {
      throw new OnnxUnsupportedException(file + ": opset version " + opset + " is not supported (supported: "
          + MIN_OPSET + ".." + MAX_OPSET + ")");
    }
    return opset;
  }

  /** Parses {@code NAME=1x3x224x224} into a map entry value; an error naming the bad text. */
  public static Map.Entry<String, int[]> parseShape(String spec) {
    int eq = spec.lastIndexOf('=');
    if (eq <= 0 || eq == spec.length() - 1) {
      throw new KbyocException("--shape [" + spec + "] must look like NAME=1x3x224x224");
    }
    String[] dims = spec.substring(eq + 1).split("[x,]", -1);
    int[] shape = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      try {
        shape[i] = Integer.parseInt(dims[i].trim());
      } catch (NumberFormatException e) {
        shape[i] = -1;
      }
      if (shape[i] < 0) {
        throw new KbyocException("--shape [" + spec + "]: dimension [" + dims[i] + "] is not a non-negative integer");
      }
    }
    return Map.entry(spec.substring(0, eq), shape);
  }

  /** State of one import. */
  private static final class Run {
    private final String file;
    private final GraphProto graph;
    private final Options options;
    private final ImportContext cx;
    private final List<Var> inputVars = new ArrayList<>();
    private final Map<String, Var> initVars = new LinkedHashMap<>();
    private final Map<String, NDArray> initValues = new LinkedHashMap<>();
    private final List<String> inputNames = new ArrayList<>();

    Run(String file, int opset, GraphProto graph, Options options) {
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
}
