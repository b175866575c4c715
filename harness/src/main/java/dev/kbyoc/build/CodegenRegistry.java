package dev.kbyoc.build;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.runtime.SubgraphModule;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The global registry of external codegens ({@code relay.ext.<compiler>}) and their constant
 * updaters ({@code relay.ext.<compiler>.constant_updater}), keyed by those TVM names. Built in:
 * {@code json} (host kernels reading their constants from the params; no updater, so the default
 * one applies). Backends add theirs through {@link CodegenLibrary} service entries: the Kendryte
 * backend registers {@code kendryte} (a kmodel embedding its weights, with an updater returning
 * nothing).
 */
public final class CodegenRegistry {
  private static final Map<String, Codegen> CODEGENS = new ConcurrentHashMap<>();
  private static final Map<String, ConstantUpdater> UPDATERS = new ConcurrentHashMap<>();

  static {
    registerCodegen(SubgraphModule.JSON, new SubgraphCodegen(SubgraphModule.JSON, false));
    for (CodegenLibrary lib : java.util.ServiceLoader.load(CodegenLibrary.class, CodegenRegistry.class.getClassLoader())) {
      lib.codegens().forEach(CodegenRegistry::registerCodegen);
      lib.constantUpdaters().forEach(CodegenRegistry::registerConstantUpdater);
    }
  }

  private CodegenRegistry() {}

  public static String codegenKey(String compiler) {
    return "relay.ext." + compiler;
  }

  public static String updaterKey(String compiler) {
    return "relay.ext." + compiler + ".constant_updater";
  }

  /** Registers (or replaces) {@code relay.ext.<compiler>}. */
  public static void registerCodegen(String compiler, Codegen codegen) {
    CODEGENS.put(codegenKey(compiler), codegen);
  }

  /** Registers (or replaces) {@code relay.ext.<compiler>.constant_updater}. */
  public static void registerConstantUpdater(String compiler, ConstantUpdater updater) {
    UPDATERS.put(updaterKey(compiler), updater);
  }

  /** The codegen of a compiler; a one-line error naming the missing global otherwise. */
  public static Codegen codegen(String compiler) {
    Codegen c = CODEGENS.get(codegenKey(compiler));
    if (c == null) {
      throw new KbyocException("no external codegen registered as " + codegenKey(compiler) + "; registered: " + new TreeSet<>(CODEGENS.keySet()));
    }
    return c;
  }

  /** The registered constant updater of a compiler, if any. */
  public static Optional<ConstantUpdater> registeredUpdater(String compiler) {
    return Optional.ofNullable(UPDATERS.get(updaterKey(compiler)));
  }
}
