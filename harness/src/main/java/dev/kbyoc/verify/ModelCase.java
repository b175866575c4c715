package dev.kbyoc.verify;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.Span;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Var;
import dev.kbyoc.ir.text.RelayParser;
import dev.kbyoc.ir.text.RelayPrinter;
import dev.kbyoc.pass.InferType;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * A user's model as a verification case ({@code kbyoc check}): each {@code @main} parameter gets
 * its value from the model's weights, from a given input, or, when neither has it, a seeded value
 * of its type. Seeded floating-point values are multiples of 1/256 in [-1, 1) (exact in every
 * float type, as the graph generator draws them); integer and bool values are in [0, 4) and [0, 1]. Parameter {@code i}
 * draws from the stream of {@code Seeds.rng(seed + i)}, so a seed gives the same inputs every time.
 *
 * <p>The partition oracle identifies an op by its source span. An imported model can give several
 * calls one span (an ONNX node that becomes conv2d and bias_add); such a module is printed as
 * Relay text and parsed back ({@link #withUniqueSpans}), so each call is named by its line:col in
 * that text, which is the {@code model.relay} a repro bundle holds.
 */
public final class ModelCase {
  private ModelCase() {}

  /**
   * The case of {@code module} (typed) with {@code weights} bound by name and {@code given} inputs.
   * A given input that names no parameter, that a weight also gives, or whose type differs from
   * the parameter's is a {@link KbyocException}; weights naming no parameter are left out.
   */
  public static GraphCase of(IRModule module, Map<String, NDArray> weights, Map<String, NDArray> given, long seed,
      GenOptions options) {
    module = withUniqueSpans(module);
    List<Var> params = module.main().params();
    for (String name : given.keySet()) {
      if (params.stream().noneMatch(p -> p.name().equals(name))) {
        StringJoiner names = new StringJoiner(", ");
        params.forEach(p -> names.add("%" + p.name()));
        throw new KbyocException("--input " + name + ": @main has no parameter %" + name + " (parameters: " + names + ")");
      }
    }
    Map<String, NDArray> bound = new LinkedHashMap<>();
    Map<String, NDArray> inputs = new LinkedHashMap<>();
    for (int i = 0; i < params.size(); i++) {
      Var p = params.get(i);
      NDArray weight = weights.get(p.name());
      NDArray value = given.get(p.name());
      if (weight != null && value != null) {
        throw new KbyocException("%" + p.name() + " is given both by --input and by the params");
      }
      TensorType t = tensorType(p);
      if (weight != null) {
        requireType(p, t, weight, "param [" + p.name() + "]");
        bound.put(p.name(), weight);
      } else if (value != null) {
        requireType(p, t, value, "--input " + p.name());
        inputs.put(p.name(), value);
      } else {
        inputs.put(p.name(), seeded(t, Seeds.rng(seed + i)));
      }
    }
    return new GraphCase(module, bound, inputs, seed, options);
  }

  /** {@code module} when no two op calls share a known span, else its Relay text parsed back. */
  static IRModule withUniqueSpans(IRModule module) {
    Set<Span> seen = new HashSet<>();
    boolean unique = true;
    for (Function f : module.functions().values()) {
      for (Expr e : PostOrder.of(f)) {
        if (e instanceof Call c && c.op() instanceof Op && c.span().isKnown() && !seen.add(c.span())) {
          unique = false;
        }
      }
    }
    if (unique) {
      return module;
    }
    RelayPrinter.Printed p = RelayPrinter.print(module);
    return RelayParser.parse(BundleModel.MODEL, p.text(), p.constants(), InferType::run);
  }

  /** A seeded value of type {@code t} (see the class comment for the ranges). */
  static NDArray seeded(TensorType t, SplittableRandom rnd) {
    NDArray a = NDArray.zeros(t.dtype(), t.shape());
    for (int i = 0; i < a.size(); i++) {
      double v;
      if (t.dtype().isFloat()) {
        v = Math.floor((rnd.nextDouble() * 2 - 1) * 256) / 256.0;
      } else if (t.dtype() == DType.BOOL) {
        v = rnd.nextInt(2);
      } else {
        v = rnd.nextInt(4);
      }
      a.setDouble(i, v);
    }
    return a;
  }

  private static TensorType tensorType(Var p) {
    Type t = p.typeAnnotation() != null ? p.typeAnnotation() : p.checkedType();
    if (!(t instanceof TensorType tt)) {
      throw new KbyocException("parameter %" + p.name() + " of @main has type "
          + (t == null ? "(untyped)" : RelayPrinter.type(t)) + "; kbyoc check takes tensor parameters only");
    }
    return tt;
  }

  private static void requireType(Var p, TensorType t, NDArray v, String source) {
    if (!v.type().equals(t)) {
      throw new KbyocException("input %" + p.name() + ": " + source + " holds " + RelayPrinter.type(v.type())
          + ", @main expects " + RelayPrinter.type(t));
    }
  }
}
