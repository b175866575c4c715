package dev.kbyoc.onnx;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.Span;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.TupleValue;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Value;
import dev.kbyoc.op.OpDef;
import dev.kbyoc.pass.InferType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx.NodeProto;

/**
 * The importer's state while converting one graph: the expression (and, when known at import
 * time, the value) of every ONNX tensor name, the node being converted, and a builder for typed
 * Relay calls that folds calls whose arguments are all constants.
 *
 * <p>Known values come from {@code Constant} nodes, integer initializers, frozen inputs and folded
 * nodes. Float initializers stay parameters (they are the weights {@code bind_params_by_name}
 * binds later) but converters may still read their values, e.g. a Pad's pads or a Resize's scales.
 */
final class ImportContext {
  private final String file;
  private final int opset;
  private final Map<String, Expr> exprs = new HashMap<>();
  private final Map<String, NDArray> known = new HashMap<>();
  private NodeProto node;
  private NodeAttrs attrs;
  private String where;
  private Span span = Span.NONE;

  ImportContext(String file, int opset) {
    this.file = file;
    this.opset = opset;
  }

  String file() {
    return file;
  }

  /** The default-domain opset the model imports. */
  int opset() {
    return opset;
  }

  /** Defines an ONNX tensor name; {@code value} is its import-time value or null. */
  void define(String name, Expr e, NDArray value) {
    exprs.put(name, e);
    if (value != null) {
      known.put(name, value);
    } else if (e instanceof Constant c) {
      known.put(name, c.data());
    }
  }

  boolean isDefined(String name) {
    return exprs.containsKey(name);
  }

  Expr exprOf(String name) {
    return exprs.get(name);
  }

  /** Starts converting {@code n} (the {@code index}-th node in file order). */
  void enter(NodeProto n, int index) {
    this.node = n;
    this.where = describe(file, n, index);
    this.attrs = new NodeAttrs(n, where);
    this.span = Span.at(file, index + 1, 1);
  }

  /** {@code FILE: node 'name' (OpType)} for messages. */
  static String describe(String file, NodeProto n, int index) {
    String name = n.getName().isEmpty() ? "#" + index : "'" + n.getName() + "'";
    return file + ": node " + name + " (" + n.getOpType() + ")";
  }

  NodeProto node() {
    return node;
  }

  NodeAttrs attrs() {
    return attrs;
  }

  /** The current node's description, for messages. */
  String where() {
    return where;
  }

  /** A user error about the current node. */
  KbyocException error(String message) {
    return new KbyocException(where + ": " + message);
  }

  /** An unsupported feature of the current node. */
  OnnxUnsupportedException unsupported(String message) {
    return new OnnxUnsupportedException(where + ": " + message);
  }

  int numInputs() {
    return node.getInputCount();
  }

  /** Whether optional input {@code i} is given (present and not the empty name). */
  boolean hasInput(int i) {
    return i < node.getInputCount() && !node.getInput(i).isEmpty();
  }

  /** Input {@code i} of the current node; an error when absent. */
  Expr input(int i) {
    if (!hasInput(i)) {
      throw error("missing required input " + i);
    }
    return exprs.get(node.getInput(i));
  }

  /** The type of input {@code i}. */
  TensorType type(int i) {
    return typeOf(input(i));
  }

  /** The tensor type of a typed expression, or an error naming the current node. */
  TensorType typeOf(Expr e) {
    Type t = e.checkedType() == null ? InferType.inferExpr(e) : e.checkedType();
    if (t instanceof TensorType tt) {
      return tt;
    }
    throw error("expected a tensor, got " + t);
  }

  /** Input {@code i}'s import-time value, or null when it is only known at run time. */
  NDArray knownOrNull(int i) {
    return hasInput(i) ? known.get(node.getInput(i)) : null;
  }

  /** Input {@code i}'s import-time value; unsupported (naming {@code role}) when dynamic. */
  NDArray requireKnown(int i, String role) {
    NDArray v = knownOrNull(i);
    if (v == null) {
      throw new OnnxUnsupportedException(where + ": input '" + node.getInput(i) + "' (" + role
          + ") must be a constant or initializer; only static values are supported", node.getInput(i));
    }
    return v;
  }

  /** Input {@code i}'s import-time value as longs (an integer or float tensor). */
  long[] requireLongs(int i, String role) {
    NDArray v = requireKnown(i, role);
    long[] out = new long[v.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = v.getLong(k);
    }
    return out;
  }

  /** Whether every input given to the current node has an import-time value. */
  boolean allInputsKnown() {
    for (int i = 0; i < node.getInputCount(); i++) {
      if (hasInput(i) && !known.containsKey(node.getInput(i))) {
        return false;
      }
    }
    return true;
  }

  /** A constant expression (typed). */
  Constant constant(NDArray a) {
    Constant c = new Constant(a, span);
    c.setCheckedType(a.type());
    return c;
  }

  /** A float32 scalar constant. */
  Constant scalar(double v, DType dtype) {
    return constant(NDArray.fromDoubles(dtype, new double[] {v}));
  }

  /**
   * A typed call of the Relay op {@code opName}; when every argument is a constant the call is
   * evaluated with the op's reference kernel and its value returned as a constant.
   */
  Expr call(String opName, Attrs callAttrs, Expr... args) {
    if (!Op.exists(opName)) {
      throw unsupported("needs Relay op " + opName + ", which is not registered");
    }
    Call c;
    try {
      c = new Call(Op.get(opName), List.of(args), callAttrs, span);
      InferType.inferExpr(c);
    } catch (KbyocException e) {
      throw error(e.getMessage());
    }
    boolean allConst = true;
    List<Value> values = new ArrayList<>();
    for (Expr a : args) {
      if (a instanceof Constant k) {
        values.add(k.data());
      } else if (a instanceof Tuple t && t.fields().stream().allMatch(f -> f instanceof Constant)) {
        values.add(new TupleValue(t.fields().stream().map(f -> (Value) ((Constant) f).data()).toList()));
      } else {
        allConst = false;
        break;
      }
    }
    if (allConst && c.checkedType() instanceof TensorType) {
      Value v = OpDef.of(c.opOrNull()).kernel().compute(values, c.fullAttrs(), c.checkedType());
      return constant((NDArray) v);
    }
    return c;
  }

  /** A call without attributes. */
  Expr call(String opName, Expr... args) {
    return call(opName, Attrs.empty(), args);
  }

  /** Field {@code index} of a tuple-valued expression (typed). */
  Expr getItem(Expr tuple, int index) {
    TupleGetItem g = new TupleGetItem(tuple, index, span);
    InferType.inferExpr(g);
    return g;
  }

  /** The attribute from {@link #attrs()} spelled as an integer list, or a default. */
  int[] ints(String name, int[] def) {
    return attrs.getIntArray(name, def);
  }
}
