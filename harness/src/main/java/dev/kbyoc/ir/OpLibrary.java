package dev.kbyoc.ir;

import java.util.Collection;

/** A service (java.util.ServiceLoader) that contributes operator schemas to {@link Op}. */
public interface OpLibrary {
  Collection<? extends OpSchema> ops();
}
