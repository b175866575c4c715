package dev.kbyoc.ir;

/**
 * An error the user can cause: a bad file, an unsupported op, a model that does not fit. The
 * message is one line naming the file, node or layer; the CLI prints it and exits with code 2.
 * Anything else that escapes is a bug (exit code 1). Control characters in the message (a name
 * read from a hostile file may hold a newline) are escaped as {@code \xNN}, so the message is one
 * line by construction.
 */
public class KbyocException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KbyocException(String message) {
    super(oneLine(message));
  }

  public KbyocException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  /** {@code s} with every ISO control character written as {@code \xNN}. */
  public static String oneLine(String s) {
    if (s == null || s.chars().noneMatch(Character::isISOControl)) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (char c : s.toCharArray()) {
      if (Character.isISOControl(c)) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
