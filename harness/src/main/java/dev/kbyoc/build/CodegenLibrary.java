package dev.kbyoc.build;

import java.util.Map;

/**
 * A provider of external codegens, found with {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/dev.kbyoc.build.CodegenLibrary}), so a backend package registers its
 * {@code relay.ext.<compiler>} and {@code relay.ext.<compiler>.constant_updater} without
 * {@code build} depending on it. Its entries replace the built-in ones of the same compiler.
 */
public interface CodegenLibrary {
  /** Codegens by compiler name. */
  Map<String, Codegen> codegens();

  /** Constant updaters by compiler name. */
  Map<String, ConstantUpdater> constantUpdaters();
}
