package dev.baton.common.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Bearer-token checks for command and admin APIs, in constant time so the token cannot be guessed by timing. */
public final class BearerToken {

  private BearerToken() {
  }

  /** True when no token is configured, or {@code authorization} is {@code Bearer <token>} with the right token. */
  public static boolean authorized(Optional<String> expected, String authorization) {
    if (expected.isEmpty()) {
      return true;
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, expected.get().getBytes(StandardCharsets.UTF_8));
  }
}
