package dev.kbyoc.verify.bench;

import java.util.List;

/**
 * One part of the performance suite. Implementations outside {@code harness} register themselves in
 * {@code META-INF/services/dev.kbyoc.verify.bench.BenchSection}.
 */
public interface BenchSection {
  /** A short name, used as the figures' section. */
  String name();

  /** Measures, in this process, and returns the figures. */
  List<Figure> run(BenchOptions options) throws Exception;
}
