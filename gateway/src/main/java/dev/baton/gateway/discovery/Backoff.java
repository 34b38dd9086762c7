package dev.baton.gateway.discovery;

import java.util.random.RandomGenerator;

/**
 * Retry delay after consecutive failures: exponential from {@code baseMs}, capped at {@code maxMs},
 * with "equal jitter" (half fixed, half random) so many gateways do not hit a recovering Consul at once.
 */
public record Backoff(long baseMs, long maxMs) {

  public static final Backoff DEFAULT = new Backoff(50, 1000);

  /** The delay before retry number {@code failures} (1-based). */
  public long delayMs(int failures, RandomGenerator random) {
    int shift = Math.min(Math.max(failures - 1, 0), 20);
    long cap = Math.min(maxMs, baseMs << shift);
    long half = cap / 2;
    return half + (half > 0 ? random.nextLong(half + 1) : 0);
  }
}
