package dev.baton.gateway.connections;

/**
 * Counts events and says when to report them: the first at once, then at most one report per interval with
 * the count since the last one. A flood of accept errors or refusals thus costs one log line per interval
 * (the issue behind this measured 6.4 million "Too many open files" lines in 40 s).
 */
final class Throttle {

  private final long intervalNanos;
  private boolean reported;
  private long lastReportNanos;
  private long pending;

  Throttle(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /** Counts one event; returns how many to report now (this one included), or 0 to hold it for later. */
  synchronized long record(long nowNanos) {
    pending++;
    if (reported && nowNanos - lastReportNanos < intervalNanos) {
      return 0;
    }
    return take(nowNanos);
  }

  /** Events held since the last report (0: none), as a report now: the interval's timer calls it. */
  synchronized long flush(long nowNanos) {
    return pending == 0 ? 0 : take(nowNanos);
  }

  long intervalNanos() {
    return intervalNanos;
  }

  private long take(long nowNanos) {
    reported = true;
    lastReportNanos = nowNanos;
    long n = pending;
    pending = 0;
    return n;
  }
}
