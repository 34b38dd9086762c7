package dev.baton.gateway.proxy;

import dev.baton.gateway.GatewaySettings;
import io.vertx.core.VertxException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The read deadlines of one request body (docs/ARCHITECTURE.md, Gateway, "Request bodies"): at most
 * {@code BATON_BODY_TIMEOUT_MS} of reading time between two reads (nginx's {@code client_body_timeout}), and a body
 * may take {@code grace + bytes / minRate} of reading time in all (Apache's {@code mod_reqtimeout}: each
 * {@code MinRate} bytes buy one more second), so a client that drips is cut once the grace is spent.
 *
 * <p>Reading time runs only while the gateway wants the body: not before it asked for it (a request waiting for a
 * connection to its instance) and not while it paused reading because the instance takes the body more slowly
 * than the client sends it (back-pressure). A slow instance therefore never gets its client cut.
 *
 * <p>Pure bookkeeping on caller-supplied {@code System.nanoTime()} values; {@link BodyDeadlines} sweeps it. Not
 * thread-safe: it lives on its request's event loop, as the sweep does.
 */
final class BodyDeadline {

  /** A body that missed its deadline; its message says which and names the setting. */
  static final class Overdue extends VertxException {
    Overdue(String message) {
      super(message, true);
    }
  }

  private final GatewaySettings.RequestBodies limits;
  private final long timeoutNanos;
  private final long graceNanos;
  private final double nanosPerByte;
  final Consumer<Overdue> onOverdue;
  /** Reading time of the runs that ended. */
  private long readBefore;
  /** When the current run of reading began, or -1 while the gateway does not read. */
  private long runStart = -1;
  /** Reading time at the last read. */
  private long lastRead;
  private long bytes;

  BodyDeadline(GatewaySettings.RequestBodies limits, Consumer<Overdue> onOverdue) {
    this.limits = limits;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(limits.timeoutMs());
    this.graceNanos = TimeUnit.MILLISECONDS.toNanos(limits.graceMs());
    this.nanosPerByte = limits.minRate() == 0 ? 0 : 1e9 / limits.minRate();
    this.onOverdue = onOverdue;
  }

  /** The gateway reads the body (again) from {@code now}. */
  void resume(long now) {
    if (runStart < 0) {
      runStart = now;
    }
  }

  /** The gateway stops reading at {@code now} (its instance is slower than the client); the clock stops. */
  void pause(long now) {
    if (runStart >= 0) {
      readBefore += now - runStart;
      runStart = -1;
    }
  }

  void read(long n, long now) {
    bytes += n;
    lastRead = readingNanos(now);
  }

  long readingNanos(long now) {
    return readBefore + (runStart < 0 ? 0 : now - runStart);
  }

  /** Why the body is overdue at {@code now}, or null while it is on time. */
  Overdue overdue(long now) {
    long reading = readingNanos(now);
    if (reading - lastRead > timeoutNanos) {
      return new Overdue("No byte of the request body arrived for " + limits.timeoutMs()
          + " ms (BATON_BODY_TIMEOUT_MS); send the body without pauses. The connection is closed.");
    }
    if (nanosPerByte > 0 && reading > graceNanos && reading - graceNanos > bytes * nanosPerByte) {
      return new Overdue("The request body arrived slower than " + limits.minRate() + " bytes/s after the first "
          + limits.graceMs() + " ms (BATON_BODY_MIN_RATE, BATON_BODY_RATE_GRACE_MS): " + bytes + " bytes in "
          + TimeUnit.NANOSECONDS.toMillis(reading) + " ms. The connection is closed.");
    }
    return null;
  }
}
