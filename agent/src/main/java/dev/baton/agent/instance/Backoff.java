package dev.baton.agent.instance;

/**
 * Exponential restart backoff: attempt 1 waits {@code baseMs}, each further attempt doubles it, capped at
 * {@code maxMs}. After {@code maxAttempts} restarts in a row (0: no limit) the agent gives up and the instance
 * is FAILED, so a version that cannot stay up does not flap forever.
 */
public record Backoff(long baseMs, long maxMs, int maxAttempts) {

  public long delayMs(int attempt) {
    if (attempt <= 1) {
      return Math.min(baseMs, maxMs);
    }
    int shift = Math.min(attempt - 1, 62);
    long factor = 1L << shift;
    return baseMs > maxMs / factor ? maxMs : Math.min(maxMs, baseMs * factor);
  }

  public boolean exhausted(int attempt) {
    return maxAttempts > 0 && attempt > maxAttempts;
  }
}
