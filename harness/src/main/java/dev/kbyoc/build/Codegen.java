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
  /** Compiles with the default options ({@link BuildOptions#DEFAULT}). */
  RuntimeModule compile(Function function, String symbol);

  /**
   * Compiles within a build: codegens that quantize read {@link BuildOptions#quantize()} and
   * {@link BuildOptions#calibration()}; the others ignore the options.
   */
  default RuntimeModule compile(Function function, String symbol, BuildOptions options) {
    return compile(function, symbol);
  }
}
