package dev.baton.registry.it;

import dev.baton.testsupport.Http;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Steady GET load through the gateway for one app (by Host header) while a release runs: counts
 * responses per version and per status, and failures (no response). Bounded: stops after
 * {@code maxDuration} even if nobody calls {@link #close()}.
 */
public final class Traffic implements AutoCloseable {

  public final Map<String, AtomicLong> byVersion = new ConcurrentHashMap<>();
  public final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
  public final AtomicLong failures = new AtomicLong();
  public volatile String lastFailure;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  public Traffic(Http gateway, String host, Duration maxDuration, Duration pause) {
    Http client = gateway.with("Host", host);
    long deadline = System.nanoTime() + maxDuration.toNanos();
    thread = new Thread(() -> {
      while (running.get() && System.nanoTime() < deadline) {
        try {
          Http.Response r = client.get("/");
          byStatus.computeIfAbsent(r.status(), k -> new AtomicLong()).incrementAndGet();
          String v = r.header("X-Baton-Version");
          if (v != null && r.status() == 200) {
            byVersion.computeIfAbsent(v, k -> new AtomicLong()).incrementAndGet();
          }
        } catch (RuntimeException e) {
          failures.incrementAndGet();
          lastFailure = e.toString();
        }
        LockSupport.parkNanos(pause.toNanos());
      }
    }, "traffic-" + host);
    thread.setDaemon(true);
    thread.start();
  }

  public long ok() {
    return byStatus.getOrDefault(200, new AtomicLong()).get();
  }

  /** Responses that were not 2xx, plus requests that got no response. */
  public long bad() {
    return failures.get() + byStatus.entrySet().stream().filter(e -> e.getKey() >= 300)
        .mapToLong(e -> e.getValue().get()).sum();
  }

  @Override
  public void close() {
    running.set(false);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "versions " + byVersion + ", statuses " + byStatus + ", failures " + failures
        + (lastFailure == null ? "" : " (last: " + lastFailure + ")");
  }
}
