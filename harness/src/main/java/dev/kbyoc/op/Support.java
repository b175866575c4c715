package dev.kbyoc.op;

/**
 * The answer of a target support predicate for one call: supported, or not with a reason that
 * {@code kbyoc partition --explain} prints next to the node.
 */
public record Support(boolean supported, String reason) {
  private static final Support YES = new Support(true, null);

  public Support {
    if (!supported && (reason == null || reason.isBlank())) {
      throw new IllegalArgumentException("an unsupported verdict needs a reason");
    }
  }

  public static Support yes() {
    return YES;
  }

  public static Support no(String reason) {
    return new Support(false, reason);
  }

  @Override
  public String toString() {
    return supported ? "supported" : "unsupported: " + reason;
  }
}
