package dev.kbyoc.verify;

/**
 * One invariant checked on one case. Each oracle has one job, is usable alone, and returns
 * {@link Verdict#pass()} or a failure naming itself, a stable kind and a one-line message.
 * Exceptions from the compiler under test become {@code crash:*} failures (see {@link Oracles}).
 */
public interface Oracle {
  /** Short stable name, e.g. {@code partition-soundness}. */
  String name();

  Verdict check(CaseRun run);
}
