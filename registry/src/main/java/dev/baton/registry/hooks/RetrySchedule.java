package dev.baton.registry.hooks;

/**
 * Back-off between attempts, bounded (docs/registry-api.md, "Notifications"): a notification is tried
 * {@link #NOTIFY_ATTEMPTS} times, waiting 1 s, 3 s, 9 s, 27 s in between (×3, at most 30 s), about 40 s in all;
 * a gate that has not answered 2xx is asked again after 1 s, 2 s, 4 s, 8 s, then every 15 s.
 */
public final class RetrySchedule {

  public static final int NOTIFY_ATTEMPTS = 5;

  private RetrySchedule() {
  }

  /** Milliseconds to wait after failed notification attempt {@code attempt} (1-based); -1 when it was the last. */
  public static long notifyDelayMs(int attempt) {
    if (attempt >= NOTIFY_ATTEMPTS) {
      return -1;
    }
    long d = 1000;
    for (int i = 1; i < attempt; i++) {
      d *= 3;
    }
    return Math.min(d, 30_000);
  }

  /** Milliseconds before a gate is asked again after answer {@code attempt} (1-based) was not a 2xx. */
  public static long gateDelayMs(int attempt) {
    return attempt >= 5 ? 15_000 : 1000L << Math.max(0, attempt - 1);
  }
}
