package dev.baton.common.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Bearer-token checks for command and admin APIs ({@link AccessPolicy} decides with them), in constant time so a token cannot be guessed by timing: both
 * sides are hashed with SHA-256 first, so the comparison takes as long whatever the presented token's length and
 * wherever it differs.
 */
public final class BearerToken {

  private static final String PREFIX = "Bearer ";

  private BearerToken() {
  }

  /** The token of an {@code Authorization: Bearer <token>} header (scheme case-insensitive), or null. */
  public static String presented(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return null;
    }
    String token = authorization.substring(PREFIX.length()).trim();
    return token.isEmpty() ? null : token;
  }

  /** True when {@code presented} (may be null) equals {@code expected}, compared in constant time. */
  public static boolean matches(String expected, String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(sha256(presented), sha256(expected));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
