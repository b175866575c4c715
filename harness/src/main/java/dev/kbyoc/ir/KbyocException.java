package dev.kbyoc.ir;

/**
 * An error the user can cause: a bad file, an unsupported op, a model that does not fit. The
 * message is one line naming the file, node or layer; the CLI prints it and exits with code 2.
 * Anything else that escapes is a bug (exit code 1).
 */
public class KbyocException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KbyocException(String message) {
    super(message);
  }

  public KbyocException(String message, Throwable cause) {
    super(message, cause);
  }
}
