package dev.kbyoc.build;

import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.NDArray;
import java.util.Map;

/**
 * {@code relay.ext.<compiler>.constant_updater}: the params an external function's constants
 * contribute to the graph params. A codegen whose module embeds its constants registers one that
 * returns nothing; otherwise {@link DefaultConstantUpdater} applies.
 */
@FunctionalInterface
public interface ConstantUpdater {
  Map<String, NDArray> update(Function function, String symbol);
}
