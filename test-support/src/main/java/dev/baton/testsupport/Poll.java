package dev.baton.testsupport;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Deadline-bounded polling, the only way baton tests wait: a condition is checked about every
 * {@value #INTERVAL_MILLIS} ms until it holds or the deadline passes, never "sleep and hope".
 *
 * <p>An {@link Exception} thrown by a check counts as "not yet" and is kept as the cause of the final
 * failure; an {@link Error} (such as an {@link AssertionError}) ends the wait at once, so a check can
 * give up early when waiting is pointless (a process died). On timeout an {@link AssertionError}
 * names what was awaited and the last value or exception seen. Checks should be quick and carry their
 * own I/O timeouts: the deadline is only checked between two checks.
 */
public final class Poll {

  /** Pause between two checks. */
  public static final long INTERVAL_MILLIS = 50;

  /** A condition that may throw; an exception means "not yet". */
  @FunctionalInterface
  public interface Check {
    /** Whether the awaited state is reached; throwing an exception means "not yet". */
    boolean holds() throws Exception;
  }

  private Poll() {
  }

  /**
   * Returns once {@code check} holds.
   *
   * @throws AssertionError naming {@code description} when it still does not hold after {@code timeout}
   */
  public static void until(Duration timeout, Check check, String description) {
    value(timeout, () -> check.holds() ? Boolean.TRUE : null, description);
  }

  /** Returns the first non-null value {@code supplier} produces within {@code timeout}. */
  public static <T> T value(Duration timeout, Callable<T> supplier) {
    return value(timeout, supplier, "a non-null value");
  }

  /**
   * Returns the first non-null value {@code supplier} produces within {@code timeout}.
   *
   * @throws AssertionError naming {@code description} and the last exception when none came in time
   */
  public static <T> T value(Duration timeout, Callable<T> supplier, String description) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception lastFailure = null;
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        T value = supplier.call();
        if (value != null) {
          return value;
        }
        lastFailure = null;
      } catch (Exception e) {
        lastFailure = e;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        String last = lastFailure == null ? "last check: not yet" : "last check threw " + lastFailure;
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms (" + attempts
            + " checks) waiting for " + description + "; " + last, lastFailure);
      }
      LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS)));
      if (Thread.currentThread().isInterrupted()) {
        throw new AssertionError("interrupted while waiting for " + description, lastFailure);
      }
    }
  }
}
