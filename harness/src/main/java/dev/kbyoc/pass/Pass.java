package dev.kbyoc.pass;

import dev.kbyoc.ir.IRModule;
import java.util.List;
import java.util.function.UnaryOperator;

/** A module-to-module transformation with a name, run under a {@link PassContext}. */
public interface Pass {
  String name();

  /** Runs this pass alone (no timing or dumps; use {@link PassContext#run} for those). */
  IRModule apply(IRModule module, PassContext ctx);

  /** A pass from a function over modules. */
  static Pass module(String name, UnaryOperator<IRModule> f) {
    return new Pass() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public IRModule apply(IRModule module, PassContext ctx) {
        return f.apply(module);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /** Runs passes in order; each is timed and dumped by the context. */
  static Pass sequence(String name, Pass... passes) {
    List<Pass> list = List.of(passes);
    return new Pass() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public IRModule apply(IRModule module, PassContext ctx) {
        IRModule m = module;
        for (Pass p : list) {
          m = ctx.run(p, m);
        }
        return m;
      }

      @Override
      public String toString() {
        return name + list;
      }
    };
  }
}
