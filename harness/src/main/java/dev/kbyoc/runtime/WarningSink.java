package dev.kbyoc.runtime;

/** Where runtime warnings go; tests plug in a collector to count them. */
@FunctionalInterface
public interface WarningSink {
  /** Prints {@code Warning: <message>} to stderr, as TVM's {@code LOG(WARNING)} line reads. */
  WarningSink STDERR = message -> System.err.println("Warning: " + message);

  void warn(String message);
}
