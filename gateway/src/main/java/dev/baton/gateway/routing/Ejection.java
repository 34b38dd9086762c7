package dev.baton.gateway.routing;

import java.util.concurrent.TimeUnit;

/**
 * Passive ejection: after {@code threshold} consecutive failures before a response (connection refused,
 * or reset or closed before a response byte) an instance is skipped for
 * {@code base}, doubling with each ejection that is not followed by a success, up to {@code max}.
 */
public record Ejection(int threshold, long baseNanos, long maxNanos) {

  public static Ejection ofMillis(int threshold, long baseMs, long maxMs) {
    return new Ejection(threshold, TimeUnit.MILLISECONDS.toNanos(baseMs), TimeUnit.MILLISECONDS.toNanos(maxMs));
  }

  /** The ejection period for the {@code n}-th ejection in a row (1-based). */
  public long periodNanos(int n) {
    int shift = Math.min(Math.max(n - 1, 0), 30);
    long p = baseNanos << shift;
    return p <= 0 || p > maxNanos ? maxNanos : p;
  }
}
