package dev.kbyoc.runtime;

import java.util.Map;

/**
 * A provider of module loaders, found with {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/dev.kbyoc.runtime.ModuleLoaderLibrary}), so a backend package registers
 * {@code runtime.module.loadbinary_<type>} without {@code runtime} depending on it. Its loaders
 * replace the built-in ones of the same type.
 */
public interface ModuleLoaderLibrary {
  /** Loaders by module type key. */
  Map<String, ModuleLoaders.Loader> loaders();
}
