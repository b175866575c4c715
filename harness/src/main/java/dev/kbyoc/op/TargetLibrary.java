package dev.kbyoc.op;

import java.util.Collection;

/**
 * A provider of built-in targets, found with {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/dev.kbyoc.op.TargetLibrary}), so a backend package can register its
 * target's rules without {@code op} depending on it.
 */
public interface TargetLibrary {
  Collection<Target> targets();

  /**
   * When two libraries define a target of the same name, the higher priority wins (the Kendryte
   * backend registers {@code kendryte} at 10); equal priorities are a bug.
   */
  default int priority() {
    return 0;
  }
}
