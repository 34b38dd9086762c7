package dev.baton.gateway.routing;

import java.util.concurrent.TimeUnit;

/**
 * Passive ejection: after {@code threshold} consecutive failures before a response (connection refused,
 * or reset or closed before a response byte) an instance is skipped for
 * {@code base}, doubling with each ejection that is not followed by a success, up to {@code max}. Outlier
 * ejection (gateway/README.md, "Outlier ejection"): after {@code serverErrors} consecutive 5xx answers (0: off)
 * an instance is ejected the same way, but only while a sibling of its version still answers: a version whose
 * every instance fails stays in rotation, where canary analysis sees it.
 */
public record Ejection(int threshold, long baseNanos, long maxNanos, int serverErrors) {

  /** Envoy's {@code consecutive_5xx} default. */
  public static final int DEFAULT_SERVER_ERRORS = 5;

  public static Ejection ofMillis(int threshold, long baseMs, long maxMs) {
    return ofMillis(threshold, baseMs, maxMs, DEFAULT_SERVER_ERRORS);
  }

  public static Ejection ofMillis(int threshold, long baseMs, long maxMs, int serverErrors) {
    return new Ejection(threshold, TimeUnit.MILLISECONDS.toNanos(baseMs), TimeUnit.MILLISECONDS.toNanos(maxMs),
        serverErrors);
  }

  /** The ejection period for the {@code n}-th ejection in a row (1-based). */
  public long periodNanos(int n) {
    int shift = Math.min(Math.max(n - 1, 0), 30);
    long p = baseNanos << shift;
    return p <= 0 || p > maxNanos ? maxNanos : p;
  }
}
