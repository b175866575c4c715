package dev.kbyoc.op;

import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Unary and binary (numpy-broadcasting) elementwise ops. */
public final class ElementwiseOps {
  private ElementwiseOps() {}

  static List<OpDef> defs() {
    return List.of(
        binary("add", Double::sum),
        unary("nn.relu", x -> x > 0 ? x : 0));
  }

  static OpDef unary(String name, DoubleUnaryOperator f) {
    return OpDef.builder(name)
        .type((args, attrs) -> Types.tensor(args, 0))
        .kernel((args, attrs, out) -> map(args.get(0).asTensor(), f))
        .pattern(OpPattern.ELEMWISE)
        .build();
  }

  static OpDef binary(String name, DoubleBinaryOperator f) {
    return OpDef.builder(name)
        .inputs(2)
        .type((args, attrs) -> Types.broadcastType(args))
        .kernel((args, attrs, out) -> broadcast(args.get(0).asTensor(), args.get(1).asTensor(), (TensorType) out, f))
        .pattern(OpPattern.BROADCAST)
        .build();
  }

  /** Applies {@code f} to every element (computed in double, stored in the input's dtype). */
  public static NDArray map(NDArray x, DoubleUnaryOperator f) {
    NDArray y = NDArray.zeros(x.dtype(), x.shape());
    for (int i = 0; i < x.size(); i++) {
      y.setDouble(i, f.applyAsDouble(x.getDouble(i)));
    }
    return y;
  }

  /** numpy-broadcast binary op into a fresh tensor of type {@code out}. */
  public static NDArray broadcast(NDArray a, NDArray b, TensorType out, DoubleBinaryOperator f) {
    int[] os = out.shape();
    NDArray y = NDArray.zeros(out.dtype(), os);
    int[] sa = stridesFor(a.shape(), os);
    int[] sb = stridesFor(b.shape(), os);
    int[] idx = new int[os.length];
    for (int i = 0; i < y.size(); i++) {
      int ia = 0;
      int ib = 0;
      for (int d = 0; d < os.length; d++) {
        ia += idx[d] * sa[d];
        ib += idx[d] * sb[d];
      }
      y.setDouble(i, f.applyAsDouble(a.getDouble(ia), b.getDouble(ib)));
      for (int d = os.length - 1; d >= 0 && ++idx[d] == os[d]; d--) {
        idx[d] = 0;
      }
    }
    return y;
  }

  /** Strides of {@code shape} aligned right against {@code out}, 0 on broadcast dimensions. */
  static int[] stridesFor(int[] shape, int[] out) {
    int[] s = new int[out.length];
    int stride = 1;
    for (int d = out.length - 1, k = shape.length - 1; d >= 0; d--, k--) {
      if (k >= 0 && shape[k] != 1) {
        s[d] = stride;
      }
      if (k >= 0) {
        stride *= shape[k];
      }
    }
    return s;
  }
}
