package dev.kbyoc.verify;

import dev.kbyoc.ir.AttrSpec;
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
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The mutable state of one graph under generation: the typed values available as operands, the
 * inputs and weights created so far, and which values have been consumed. Op generators
 * ({@link OpGens}) draw operands here and register their results; every call is typed as it is
 * made, so the graph is well-typed by construction.
 */
final class GraphBuilder {
  final SplittableRandom rng;
  final GenOptions options;
  private final List<Expr> values = new ArrayList<>();
  private final Set<Expr> consumed = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Expr> sources = Collections.newSetFromMap(new IdentityHashMap<>());
  final List<Var> inputVars = new ArrayList<>();
  final List<Var> weightVars = new ArrayList<>();
  final Map<String, NDArray> inputs = new LinkedHashMap<>();
  final Map<String, NDArray> params = new LinkedHashMap<>();
  private int ops;

  GraphBuilder(SplittableRandom rng, GenOptions options) {
    this.rng = rng;
    this.options = options;
  }

  int opCount() {
    return ops;
  }

  /** A random NCHW or 2-D activation shape within the options' limits. */
  int[] randomShape(int rank) {
    if (rank == 4) {
      return new int[] {1, 1 + rng.nextInt(options.maxChannels()), 4 + rng.nextInt(9), 4 + rng.nextInt(9)};
    }
    return new int[] {1 + rng.nextInt(2), 1 + rng.nextInt(16)};
  }

  /** A new graph input of the given shape with values uniform in [-1, 1). */
  Var newInput(int[] shape) {
    Var v = new Var("x" + inputVars.size(), TensorType.f32(shape));
    v.setCheckedType(v.typeAnnotation());
    inputVars.add(v);
    inputs.put(v.name(), random(shape, 1.0));
    values.add(v);
    sources.add(v);
    return v;
  }

  /**
   * An available value (or a new input when none fits) of the given rank, preferring recent values
   * so that chains form, but sometimes an older one so that fan-out and diamonds form.
   */
  Expr operand(int rank) {
    Expr e = pick(t -> t.rank() == rank);
    return e != null ? e : newInput(randomShape(rank));
  }

  /** An available tensor value whose type satisfies {@code p}, or null. */
  Expr pick(Predicate<TensorType> p) {
    List<Expr> fit = new ArrayList<>();
    for (Expr e : values) {
      if (p.test(e.tensorType())) {
        fit.add(e);
      }
    }
    if (fit.isEmpty()) {
      return null;
    }
    // Half the time one of the three newest, else any: chains plus fan-out.
    if (rng.nextBoolean()) {
      return fit.get(Math.max(0, fit.size() - 1 - rng.nextInt(Math.min(3, fit.size()))));
    }
    return fit.get(rng.nextInt(fit.size()));
  }

  /** A weight tensor uniform in [-scale, scale): an inline constant or a free parameter. */
  Expr weight(int[] shape, double scale) {
    NDArray data = random(shape, scale);
    if (rng.nextDouble() < options.weightParamRatio()) {
      Var v = new Var("w" + weightVars.size(), data.type());
      v.setCheckedType(v.typeAnnotation());
      weightVars.add(v);
      params.put(v.name(), data);
      return v;
    }
    Constant c = new Constant(data);
    c.setCheckedType(data.type());
    return c;
  }

  /** A weight with values in [0.5, 1.5), e.g. a variance. */
  Expr positive(int[] shape) {
    Expr w = weight(shape, 0.5);
    NDArray data = w instanceof Constant c ? c.data() : params.get(((Var) w).name());
    float[] d = data.floatData();
    for (int i = 0; i < d.length; i++) {
      d[i] += 1.0f;
    }
    return w;
  }

  NDArray random(int[] shape, double scale) {
    NDArray a = NDArray.zeros(DType.FLOAT32, shape);
    float[] d = a.floatData();
    for (int i = 0; i < d.length; i++) {
      // Multiples of 1/256: exact in float32, so sums are less sensitive to reassociation.
      d[i] = (float) (Math.round((rng.nextDouble() * 2 - 1) * scale * 256) / 256.0);
    }
    return a;
  }

  /**
   * Calls {@code opName} on the arguments with the attributes its schema declares (others are
   * dropped), types the call, and registers it as a value. Null when the op is not registered or
   * rejects the types (the generator then tries another op).
   */
  Call call(String opName, List<Expr> args, Attrs attrs) {
    if (!Op.exists(opName)) {
      return null;
    }
    Op op = Op.get(opName);
    Attrs kept = Attrs.empty();
    for (AttrSpec s : op.schema().attrs()) {
      if (attrs.has(s.name())) {
        kept = kept.with(s.name(), attrs.get(s.name()));
      }
    }
    Call c;
    try {
      c = new Call(op, args, kept, Span.at("gen", ops + 1, 1).withBinding("%" + ops));
      InferType.inferExpr(c);
    } catch (KbyocException | IllegalArgumentException | IllegalStateException e) {
      return null;
    }
    ops++;
    for (Expr a : args) {
      markUsed(a);
    }
    if (c.checkedType() instanceof TensorType) {
      values.add(c);
    }
    return c;
  }

  private void markUsed(Expr a) {
    consumed.add(a);
    if (a instanceof Tuple t) {
      t.fields().forEach(consumed::add);
    }
  }

  /** Projects field {@code i} of a tuple-valued call and registers it as a value. */
  Expr project(Expr tuple, int i) {
    TupleGetItem g = new TupleGetItem(tuple, i);
    InferType.inferExpr(g);
    consumed.add(tuple);
    values.add(g);
    return g;
  }

  Tuple tuple(List<Expr> fields) {
    Tuple t = new Tuple(fields);
    InferType.inferExpr(t);
    return t;
  }

  /** Op results never used as operands: the graph's outputs. */
  List<Expr> sinks() {
    List<Expr> out = new ArrayList<>();
    for (Expr e : values) {
      if (!consumed.contains(e) && !sources.contains(e)) {
        out.add(e);
      }
    }
    return out;
  }
}
