package dev.kbyoc.runtime;

import dev.kbyoc.ir.KbyocException;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Module loaders keyed by module type, like TVM's {@code runtime.module.loadbinary_<type>}
 * globals. The package loader looks the type of each blob up here; an unknown type is a user error.
 */
public final class ModuleLoaders {
  /** Builds a module from its serialised bytes; {@code source} names the blob in messages. */
  @FunctionalInterface
  public interface Loader {
    RuntimeModule load(byte[] data, String source);
  }

  private static final Map<String, Loader> LOADERS = new ConcurrentHashMap<>();

  static {
    register(HostModule.TYPE_KEY, HostModule::load);
    register(SubgraphModule.KENDRYTE, SubgraphModule.loader(SubgraphModule.KENDRYTE));
    register(SubgraphModule.JSON, SubgraphModule.loader(SubgraphModule.JSON));
    for (ModuleLoaderLibrary lib : java.util.ServiceLoader.load(ModuleLoaderLibrary.class, ModuleLoaders.class.getClassLoader())) {
      lib.loaders().forEach(ModuleLoaders::register);
    }
  }

  private ModuleLoaders() {}

  /** Registers the loader {@code runtime.module.loadbinary_<type>} (replacing any previous one). */
  public static void register(String type, Loader loader) {
    LOADERS.put(type, loader);
  }

  public static boolean has(String type) {
    return LOADERS.containsKey(type);
  }

  /** Loads a module blob; a one-line error names the blob when the type is unknown or the bytes are bad. */
  public static RuntimeModule load(String type, byte[] data, String source) {
    Loader l = LOADERS.get(type);
    if (l == null) {
      throw new KbyocException(source + ": no loader for module type [" + type + "] (runtime.module.loadbinary_"
          + type + "); known: " + new TreeSet<>(LOADERS.keySet()));
    }
    return l.load(data, source);
  }
}
