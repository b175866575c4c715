package dev.kbyoc.ir;

/**
 * The resource limits every loader enforces before it allocates anything a file asks for, so a
 * hostile or broken file fails with a one-line {@link KbyocException} instead of exhausting
 * memory or the stack (docs/threats.md lists the threats each limit answers). Each limit is read
 * from a system property when it is used, so it can be raised for one run, e.g.
 * {@code JAVA_TOOL_OPTIONS=-Dkbyoc.limits.tensorBytes=2147483648}; a malformed or non-positive
 * value falls back to the default. Lives in {@code ir} so that every layer can consult it.
 */
public final class Limits {
  /** Largest file any loader reads into memory (packages, params, kmodels, ONNX, .npy, Relay text). */
  public static final String FILE_BYTES = "kbyoc.limits.fileBytes";
  /** Largest single tensor (element bytes) any loader or kernel allocates. */
  public static final String TENSOR_BYTES = "kbyoc.limits.tensorBytes";
  /** Largest sum of the uncompressed sizes of a package's entries (zip-bomb bound). */
  public static final String UNPACKED_BYTES = "kbyoc.limits.unpackedBytes";
  /** Most entries a package archive may hold. */
  public static final String ARCHIVE_ENTRIES = "kbyoc.limits.archiveEntries";
  /** Largest tensor rank accepted from a file. */
  public static final String RANK = "kbyoc.limits.rank";
  /** Deepest expression nesting the Relay parser accepts. */
  public static final String NESTING_DEPTH = "kbyoc.limits.nestingDepth";
  /** Largest sum of the graph runtime's storage pools. */
  public static final String WORKSPACE_BYTES = "kbyoc.limits.workspaceBytes";

  private Limits() {}

  /** {@value #FILE_BYTES}, default 1 GiB. */
  public static long fileBytes() {
    return get(FILE_BYTES, 1L << 30);
  }

  /** {@value #TENSOR_BYTES}, default 512 MiB. */
  public static long tensorBytes() {
    return get(TENSOR_BYTES, 512L << 20);
  }

  /** {@value #UNPACKED_BYTES}, default 1 GiB. */
  public static long unpackedBytes() {
    return get(UNPACKED_BYTES, 1L << 30);
  }

  /** {@value #ARCHIVE_ENTRIES}, default 4096. */
  public static long archiveEntries() {
    return get(ARCHIVE_ENTRIES, 4096);
  }

  /** {@value #RANK}, default 32 (TVM's params reader allows no more either). */
  public static int rank() {
    return (int) Math.min(get(RANK, 32), 1 << 16);
  }

  /** {@value #NESTING_DEPTH}, default 400 (deep enough for any printed model, shallow enough for a 512 KiB thread stack). */
  public static int nestingDepth() {
    return (int) Math.min(get(NESTING_DEPTH, 400), 1 << 20);
  }

  /** {@value #WORKSPACE_BYTES}, default 1 GiB. */
  public static long workspaceBytes() {
    return get(WORKSPACE_BYTES, 1L << 30);
  }

  /**
   * Fails with {@code what needs N bytes, more than the limit L (property)} when {@code bytes}
   * exceeds the tensor limit.
   */
  public static void checkTensorBytes(long bytes, String what) {
    long max = tensorBytes();
    if (bytes < 0 || bytes > max) {
      throw new KbyocException(what + " needs " + bytes + " bytes, more than the limit " + max + " (-D" + TENSOR_BYTES
          + ")");
    }
  }

  /**
   * Reads a whole file after checking its size against {@value #FILE_BYTES}; any I/O problem is a
   * one-line {@link KbyocException} naming the file.
   */
  public static byte[] readFile(java.nio.file.Path file, String what) {
    try {
      long size = java.nio.file.Files.size(file);
      long max = fileBytes();
      if (size > max) {
        throw new KbyocException(file + ": " + what + " is " + size + " bytes, more than the limit " + max + " (-D"
            + FILE_BYTES + ")");
      }
      return java.nio.file.Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new KbyocException(file + ": no such file");
    } catch (java.io.IOException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new KbyocException(file + ": cannot read " + what + " (" + m.replace('\n', ' ') + ")");
    }
  }

  private static long get(String property, long fallback) {
    String v = System.getProperty(property);
    if (v == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v.trim());
      return n > 0 ? n : fallback;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
