package dev.kbyoc.runtime;

import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.TupleType;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.DataflowOrder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A host function compiled for float32 buffers ({@link FloatFunction}): a list of
 * {@link FloatSteps} over a slot table whose first slots are the inputs, then the outputs, then
 * the function's intermediates and embedded constants (allocated once, here). A convolution or
 * dense layer absorbs a following {@code nn.bias_add} and {@code nn.relu} / {@code clip} when it
 * is their only user (FuseOps puts such chains in one function), so they cost no extra pass; a
 * convolution also absorbs a per-channel {@code multiply} and {@code add} (batch norm after
 * SimplifyInference) and the {@code add} of a skip connection.
 * Compiled only when every tensor in the function is float32 and it reads no constants from the
 * params; otherwise the graph runtime calls the module's NDArray entry point.
 */
final class FloatProgram implements FloatFunction {
  private final int numInputs;
  private final int numOutputs;
  private final float[][] buf;
  private final FloatSteps.Step[] steps;

  FloatProgram(int numInputs, int numOutputs, float[][] buf, List<FloatSteps.Step> steps) {
    this.numInputs = numInputs;
    this.numOutputs = numOutputs;
    this.buf = buf;
    this.steps = steps.toArray(new FloatSteps.Step[0]);
  }

  /** The kinds of its steps in order ({@code Conv}, {@code Binary}, ...), for tests. */
  List<String> stepKinds() {
    List<String> out = new ArrayList<>();
    for (FloatSteps.Step s : steps) {
      out.add(s.getClass().getSimpleName());
    }
    return out;
  }

  /** The compiled form of {@code sg}, or null when it has non-float tensors or constant references. */
  static FloatProgram compile(Subgraph sg) {
    if (!HostKernels.fastEnabled() || !sg.constRefs().isEmpty()) {
      return null;
    }
    Function f = sg.function();
    List<Expr> order = new ArrayList<>();
    for (Expr e : PostOrder.of(f.body())) {
      if (!(e instanceof Op)) {
        if (!allFloat(e.checkedType())) {
          return null;
        }
        order.add(e);
      }
    }
    return new FloatProgramCompiler(f, order).compile();
  }

  /** Whether a type is a float32 tensor or a (flat) tuple of them. */
  static boolean allFloat(Type t) {
    if (t instanceof TensorType tt) {
      return tt.dtype() == DType.FLOAT32;
    }
    if (t instanceof TupleType tt) {
      return tt.fields().stream().allMatch(x -> x instanceof TensorType f && f.dtype() == DType.FLOAT32);
    }
    return false;
  }

  @Override
  public void run(float[][] inputs, float[][] outputs) {
    System.arraycopy(inputs, 0, buf, 0, numInputs);
    System.arraycopy(outputs, 0, buf, numInputs, numOutputs);
    for (FloatSteps.Step s : steps) {
      s.run(buf);
    }
  }

  /** Users of each expression inside the function body, plus one per appearance as an output. */
  static Map<Expr, List<Expr>> users(List<Expr> order, List<Expr> outputs) {
    Map<Expr, List<Expr>> u = new IdentityHashMap<>();
    for (Expr e : order) {
      u.put(e, new ArrayList<>());
    }
    for (Expr e : order) {
      for (Expr a : DataflowOrder.inputs(e)) {
        u.get(a).add(e);
      }
    }
    for (Expr o : outputs) {
      u.get(o).add(null);
    }
    return u;
  }

  /** Whether {@code e} is a variable or constant (available before any step runs). */
  static boolean isLeaf(Expr e) {
    return e instanceof Var || e instanceof Constant;
  }
}
