package dev.kbyoc.runtime;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content helpers for the duplicate-constant checks: SHA-256 and Knuth-Morris-Pratt byte search. */
public final class ByteSearch {
  private ByteSearch() {}

  /** Lower-case hex SHA-256 of {@code data}. */
  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** Whether {@code needle} (non-empty) occurs in {@code haystack}, in O(n + m). */
  public static boolean contains(byte[] haystack, byte[] needle) {
    if (needle.length == 0 || needle.length > haystack.length) {
      return false;
    }
    int[] fail = new int[needle.length];
    for (int i = 1, k = 0; i < needle.length; i++) {
      while (k > 0 && needle[i] != needle[k]) {
        k = fail[k - 1];
      }
      if (needle[i] == needle[k]) {
        k++;
      }
      fail[i] = k;
    }
    for (int i = 0, k = 0; i < haystack.length; i++) {
      while (k > 0 && haystack[i] != needle[k]) {
        k = fail[k - 1];
      }
      if (haystack[i] == needle[k]) {
        k++;
      }
      if (k == needle.length) {
        return true;
      }
    }
    return false;
  }
}
