package dev.kbyoc.verify;

/**
 * The result of checking one case: pass, or a failure of a named oracle with a message. The
 * {@code kind} is a short stable key (e.g. {@code unsupported-offloaded}) that the reducer keeps
 * fixed while it shrinks, so a reduced case still fails for the same reason.
 */
public record Verdict(String oracle, String kind, String message) {
  private static final Verdict PASS = new Verdict(null, null, null);

  public static Verdict pass() {
    return PASS;
  }

  public static Verdict fail(String oracle, String kind, String message) {
    if (oracle == null || kind == null) {
      throw new IllegalArgumentException("a failure needs an oracle and a kind");
    }
    return new Verdict(oracle, kind, message == null ? "" : message);
  }

  /** A failure for an exception the pipeline threw while an oracle ran. */
  public static Verdict crash(String oracle, Throwable t) {
    String msg = t.getMessage() == null ? t.toString() : t.getClass().getSimpleName() + ": " + t.getMessage();
    return fail(oracle, "crash:" + t.getClass().getSimpleName(), msg);
  }

  public boolean passed() {
    return oracle == null;
  }

  public boolean failed() {
    return oracle != null;
  }

  /** Same oracle and same kind (messages may differ in node names and numbers). */
  public boolean sameKind(Verdict other) {
    return failed() && other.failed() && oracle.equals(other.oracle) && kind.equals(other.kind);
  }

  @Override
  public String toString() {
    return passed() ? "pass" : oracle + "/" + kind + ": " + message;
  }
}
