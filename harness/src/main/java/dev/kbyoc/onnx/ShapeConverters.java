package dev.kbyoc.onnx;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.pass.InferType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Converters for layout ops: Flatten, Reshape, Transpose, Concat, Pad, Squeeze and Unsqueeze.
 * Shapes, axes and pads that later opsets pass as inputs must be known at import time (constants,
 * initializers or folded shape arithmetic); the Relay ops get them as attributes.
 */
final class ShapeConverters {
  private ShapeConverters() {}

  static void register(Map<String, Converter> m) {
    m.put("Flatten", Converter.single(ShapeConverters::flatten));
    m.put("Reshape", Converter.single(ShapeConverters::reshape));
    m.put("Transpose", Converter.single(ShapeConverters::transpose));
    m.put("Concat", Converter.single(ShapeConverters::concat));
    m.put("Pad", Converter.single(ShapeConverters::pad));
    m.put("Squeeze", Converter.single(ShapeConverters::squeeze));
    m.put("Unsqueeze", Converter.single(ShapeConverters::unsqueeze));
  }

  private static Expr flatten(ImportContext cx) {
    TensorType t = cx.type(0);
    int axis = cx.attrs().getInt("axis", 1);
    if (axis < 0) {
      axis += t.rank();
    }
    if (axis < 0 || axis > t.rank()) {
      throw cx.error("axis " + axis + " out of range for " + t);
    }
    if (axis == 1 && t.rank() >= 2) {
      return cx.call("nn.batch_flatten", cx.input(0));
    }
    long outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= t.dim(i);
    }
    long inner = outer == 0 ? 0 : t.size() / outer;
    return cx.call("reshape", Attrs.of("newshape", List.of(outer, inner)), cx.input(0));
  }

  /** ONNX Reshape: 0 copies the input dim (unless allowzero), -1 is inferred. */
  private static Expr reshape(ImportContext cx) {
    TensorType t = cx.type(0);
    long[] spec = cx.opset() < 5 ? cx.attrs().getInts("shape") : cx.requireLongs(1, "shape");
    if (spec == null) {
      throw cx.error("missing required attribute 'shape'");
    }
    boolean allowZero = cx.attrs().getInt("allowzero", 0) != 0;
    int[] out = new int[spec.length];
    int infer = -1;
    long known = 1;
    for (int i = 0; i < spec.length; i++) {
      long d = spec[i];
      if (d == 0 && !allowZero) {
        if (i >= t.rank()) {
          throw cx.error("shape " + Arrays.toString(spec) + " copies dim " + i + " of " + t);
        }
        d = t.dim(i);
      }
      if (d == -1) {
        if (infer >= 0) {
          throw cx.error("shape " + Arrays.toString(spec) + " has two -1 entries");
        }
        infer = i;
        continue;
      }
      if (d < 0) {
        throw cx.error("invalid shape " + Arrays.toString(spec));
      }
      out[i] = Math.toIntExact(d);
      known *= d;
    }
    if (infer >= 0) {
      if (known == 0 || t.size() % known != 0) {
        throw cx.error("cannot reshape " + t + " to " + Arrays.toString(spec));
      }
      out[infer] = Math.toIntExact(t.size() / known);
    }
    // Relay's 0 copies the input dim: a literal 0 (allowzero=1) where the input dim is not 0
    // becomes -1, which infers 0 from the empty input (at most one such dim, and no other -1).
    int[] relay = out.clone();
    int literal = -1;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0 && (i >= t.rank() || t.dim(i) != 0)) {
        if (literal >= 0 || infer >= 0 || t.size() != 0) {
          throw cx.unsupported("several literal 0 dims in the target shape (allowzero=1) cannot be expressed by Relay's reshape");
        }
        literal = i;
        relay[i] = -1;
      }
    }
    return cx.call("reshape", Attrs.of("newshape", relay), cx.input(0));
  }

  private static Expr transpose(ImportContext cx) {
    int rank = cx.type(0).rank();
    int[] perm = cx.ints("perm", null);
    if (perm == null) {
      perm = new int[rank];
      for (int i = 0; i < rank; i++) {
        perm[i] = rank - 1 - i;
      }
    }
    return cx.call("transpose", Attrs.of("axes", perm), cx.input(0));
  }

  private static Expr concat(ImportContext cx) {
    if (!cx.attrs().has("axis") && cx.opset() >= 4) {
      throw cx.error("missing required attribute 'axis'");
    }
    List<Expr> fields = new ArrayList<>();
    for (int i = 0; i < cx.numInputs(); i++) {
      fields.add(cx.input(i));
    }
    Tuple t = new Tuple(fields);
    try {
      InferType.inferExpr(t);
    } catch (KbyocException e) {
      throw cx.error(e.getMessage());
    }
    return cx.call("concatenate", Attrs.of("axis", cx.attrs().getInt("axis", 1)), t);
  }

  /** Constant-mode Pad from the {@code pads} attribute (opset < 11) or constant inputs. */
  private static Expr pad(ImportContext cx) {
    TensorType t = cx.type(0);
    String mode = cx.attrs().getString("mode", "constant");
    long[] pads;
    double value = 0;
    if (cx.opset() < 11) {
      pads = cx.attrs().getInts(cx.opset() < 2 ? "paddings" : "pads");
      if (pads == null) {
        throw cx.error("missing required attribute 'pads'");
      }
      value = cx.attrs().getFloat("value", 0);
    } else {
      pads = cx.requireLongs(1, "pads");
      if (cx.hasInput(2)) {
        value = cx.requireKnown(2, "constant_value").getDouble(0);
      }
    }
    if (pads.length != 2 * t.rank()) {
      throw cx.error("pads has " + pads.length + " values, expected " + 2 * t.rank() + " for " + t);
    }
    List<List<Long>> width = new ArrayList<>();
    for (int i = 0; i < t.rank(); i++) {
      if (pads[i] < 0 || pads[i + t.rank()] < 0) {
        throw cx.unsupported("negative pads (cropping) are not supported");
      }
      width.add(List.of(pads[i], pads[i + t.rank()]));
    }
    String relayMode = switch (mode) {
      case "constant" -> "constant";
      case "edge" -> "edge";
      case "reflect" -> "reflect";
      default -> throw cx.error("invalid pad mode [" + mode + "]");
    };
    Attrs a = Attrs.of("pad_width", width);
    if (!relayMode.equals("constant")) {
      a = a.with("pad_mode", relayMode);
    }
    return cx.call("nn.pad", a, cx.input(0), cx.scalar(value, t.dtype()));
  }

  /** Axes from the {@code axes} attribute (opset < 13) or the optional second input. */
  private static long[] axes(ImportContext cx) {
    if (cx.opset() < 13) {
      return cx.attrs().getInts("axes");
    }
    return cx.hasInput(1) ? cx.requireLongs(1, "axes") : null;
  }

  private static Expr squeeze(ImportContext cx) {
    TensorType t = cx.type(0);
    long[] axes = axes(cx);
    List<Long> list = new ArrayList<>();
    if (axes == null) {
      for (int i = 0; i < t.rank(); i++) {
        if (t.dim(i) == 1) {
          list.add((long) i);
        }
      }
    } else {
      for (long a : axes) {
        long n = a < 0 ? a + t.rank() : a;
        if (n < 0 || n >= t.rank() || t.dim((int) n) != 1) {
          throw cx.error("cannot squeeze axis " + a + " of " + t);
        }
        list.add(n);
      }
    }
    return cx.call("squeeze", Attrs.of("axis", list), cx.input(0));
  }

  private static Expr unsqueeze(ImportContext cx) {
    long[] axes = axes(cx);
    if (axes == null) {
      throw cx.error("missing axes");
    }
    int outRank = cx.type(0).rank() + axes.length;
    long[] norm = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      norm[i] = axes[i] < 0 ? axes[i] + outRank : axes[i];
      if (norm[i] < 0 || norm[i] >= outRank) {
        throw cx.error("axis " + axes[i] + " out of range for output rank " + outRank);
      }
    }
    Arrays.sort(norm);
    Expr e = cx.input(0);
    for (int i = 0; i < norm.length; i++) {
      if (i > 0 && norm[i] == norm[i - 1]) {
        throw cx.error("axis " + norm[i] + " repeated");
      }
      e = cx.call("expand_dims", Attrs.of("axis", norm[i], "num_newaxis", 1), e);
    }
    return e;
  }
}
