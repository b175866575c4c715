package dev.kbyoc.build;

import dev.kbyoc.ir.Function;
import dev.kbyoc.runtime.RuntimeModule;

/**
 * An external codegen, registered as {@code relay.ext.<compiler>}: compiles one partitioned
 * function (attrs {@code Compiler}, {@code global_symbol}) into a runtime module defining that
 * symbol.
 */
@FunctionalInterface
public interface Codegen {
  RuntimeModule compile(Function function, String symbol);
}
