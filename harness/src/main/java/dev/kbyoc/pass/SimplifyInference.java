package dev.kbyoc.pass;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.ExprMutator;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.op.BatchNormInference;
import dev.kbyoc.op.Types;
import java.util.List;
import java.util.Map;

/**
 * TVM's {@code SimplifyInference} (src/relay/transforms/simplify_inference.cc) followed by the
 * constant folding {@code relay.build} applies to its result, for the host part of a module:
 * {@code nn.batch_norm(x, gamma, beta, mean, var)[0]} becomes
 * {@code add(multiply(x, scale), shift)} and {@code nn.dropout(x)[0]} becomes {@code x}, so the
 * normalisation fuses into the preceding convolution's primitive function like any
 * per-channel multiply and add.
 *
 * <p><b>Input:</b> a typed module, params bound. <b>Output:</b> the same module with every
 * {@code TupleGetItem(nn.batch_norm(...), 0)} of a non-external function rewritten where the data
 * is float32 and gamma, beta, mean and var are constants: {@code scale} and {@code shift} are
 * constants of shape {@code [C, 1, ...]} (TVM's {@code ExpandBiasToMatchAxis}) computed as
 * {@link BatchNormInference} defines, which is exactly what the reference kernel computes, so the
 * rewritten module gives the same bits; other batch norms (other dtypes, parameters not bound)
 * and other outputs of a batch norm stay as they are. External (Compiler) functions are left
 * alone: their codegen folds batch norm itself.
 * <b>Runs after:</b> BindParams and PartitionGraph (inside {@code RelayBuild});
 * <b>before:</b> {@link FuseOps}.
 */
public final class SimplifyInference {
  public static final String NAME = "SimplifyInference";

  private SimplifyInference() {}

  public static Pass create() {
    return Pass.module(NAME, SimplifyInference::run);
  }

  /** Simplifies every host function; returns {@code module} itself when nothing changed. */
  public static IRModule run(IRModule module) {
    InferType.run(module);
    IRModule out = module;
    for (Map.Entry<String, Function> e : module.functions().entrySet()) {
      Function f = e.getValue();
      if (f.compiler() != null || f.isPrimitive()) {
        continue;
      }
      Expr body = new Simplifier().mutate(f.body());
      if (body != f.body()) {
        out = out.with(e.getKey(), new Function(f.params(), body, f.retType(), f.attrs(), f.span()));
      }
    }
    return out == module ? module : InferType.run(out);
  }

  /** The rewrite of one function body. */
  private static final class Simplifier extends ExprMutator {
    @Override
    protected Expr rewriteTupleGetItem(TupleGetItem original, TupleGetItem updated) {
      if (original.index() != 0 || !(original.tuple() instanceof Call bn) || !(updated.tuple() instanceof Call now)) {
        return updated;
      }
      if (bn.isOp("nn.dropout")) {
        return now.arg(0);
      }
      if (!bn.isOp("nn.batch_norm") || !(bn.arg(0).checkedType() instanceof TensorType data)
          || data.dtype() != DType.FLOAT32) {
        return updated;
      }
      float[][] p = new float[4][];
      for (int i = 0; i < 4; i++) {
        if (!(bn.arg(i + 1) instanceof Constant c) || c.data().dtype() != DType.FLOAT32) {
          return updated;
        }
        p[i] = c.data().floatData();
      }
      Attrs at = bn.fullAttrs();
      int axis = Types.axis(at.getInt("axis"), data.rank());
      float[] scale = BatchNormInference.scale(p[0], p[3], at);
      float[] shift = BatchNormInference.shift(p[1], p[2], scale, at);
      int[] shape = new int[data.rank() - axis];
      java.util.Arrays.fill(shape, 1);
      shape[0] = scale.length;
      Call mul = new Call(Op.get("multiply"), List.of(now.arg(0), new Constant(NDArray.of(scale, shape), bn.span())),
          Attrs.empty(), bn.span());
      return new Call(Op.get("add"), List.of(mul, new Constant(NDArray.of(shift, shape), bn.span())), Attrs.empty(),
          bn.span());
    }
  }
}
