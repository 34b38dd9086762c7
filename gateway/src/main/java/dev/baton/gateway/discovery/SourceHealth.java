package dev.baton.gateway.discovery;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Freshness of one Consul source (a blocking-query loop): when it last succeeded and, while failing,
 * since when and why. Written by the loop's event loop, read by the admin API.
 */
public final class SourceHealth {

  private final String name;
  private volatile long lastSuccessMs;
  private volatile long failingSinceMs;
  private volatile String lastError;
  private volatile int failures;

  public SourceHealth(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  void succeeded(long nowMs) {
    lastSuccessMs = nowMs;
    failingSinceMs = 0;
    failures = 0;
  }

  int failed(long nowMs, Throwable cause) {
    if (failingSinceMs == 0) {
      failingSinceMs = nowMs;
    }
    lastError = String.valueOf(cause.getMessage() == null ? cause : cause.getMessage());
    return ++failures;
  }

  public boolean stale() {
    return failingSinceMs != 0;
  }

  public boolean everSucceeded() {
    return lastSuccessMs != 0;
  }

  public long failingSinceMs() {
    return failingSinceMs;
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("source", name).put("stale", stale());
    if (lastSuccessMs != 0) {
      j.put("lastSuccess", Instant.ofEpochMilli(lastSuccessMs).toString());
    }
    if (failingSinceMs != 0) {
      j.put("staleSince", Instant.ofEpochMilli(failingSinceMs).toString()).put("failures", failures)
          .put("lastError", lastError);
    }
    return j;
  }
}
