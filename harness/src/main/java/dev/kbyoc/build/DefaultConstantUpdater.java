package dev.kbyoc.build;

import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.PostOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TVM's default constant updater ({@code ConstantUpdater} in {@code relay/backend/utils.h}):
 * every constant of the function, numbered in the order a post-order visit first meets it, becomes
 * the param {@code <symbol>_const_<i>}. It is right for codegens whose modules read their
 * constants from the params, and the seed bug for codegens that embed them.
 */
public final class DefaultConstantUpdater implements ConstantUpdater {
  public static final DefaultConstantUpdater INSTANCE = new DefaultConstantUpdater();

  private DefaultConstantUpdater() {}

  /** The constants of a function in updater order. */
  public static List<Constant> constants(Function f) {
    List<Constant> out = new ArrayList<>();
    for (Expr e : PostOrder.of(f.body())) {
      if (e instanceof Constant c) {
        out.add(c);
      }
    }
    return out;
  }

  /** The param name the default updater gives constant {@code i} of {@code symbol}. */
  public static String paramName(String symbol, int i) {
    return symbol + "_const_" + i;
  }

  @Override
  public Map<String, NDArray> update(Function function, String symbol) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    List<Constant> cs = constants(function);
    for (int i = 0; i < cs.size(); i++) {
      out.put(paramName(symbol, i), cs.get(i).data());
    }
    return out;
  }
}
