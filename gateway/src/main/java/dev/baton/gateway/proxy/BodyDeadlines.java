package dev.baton.gateway.proxy;

import dev.baton.common.http.ApiErrors;
import dev.baton.gateway.GatewaySettings;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The body deadlines of one traffic verticle ({@link BodyDeadline}), swept periodically on its event loop: one
 * timer for all requests rather than one per request, as {@code HeadDeadlines} does for request heads. A body
 * that misses its deadline is answered 408 {@code request_timeout} and its connection closed
 * ({@link #refuse}).
 */
public final class BodyDeadlines {

  private final GatewaySettings.RequestBodies limits;
  private final Set<BodyDeadline> tracked = ConcurrentHashMap.newKeySet();

  public BodyDeadlines(GatewaySettings.RequestBodies limits) {
    this.limits = limits;
  }

  /** How often overdue bodies are looked for: a quarter of the shorter deadline, within 50 ms..1 s. */
  public static long sweepIntervalMs(GatewaySettings.RequestBodies limits) {
    long shortest = limits.minRate() == 0 ? limits.timeoutMs() : Math.min(limits.timeoutMs(), limits.graceMs());
    return Math.max(50, Math.min(1000, shortest / 4));
  }

  /** A deadline for a body the gateway has not started to read yet; {@code onOverdue} runs once if it is missed. */
  BodyDeadline start(Consumer<BodyDeadline.Overdue> onOverdue) {
    BodyDeadline d = new BodyDeadline(limits, onOverdue);
    tracked.add(d);
    return d;
  }

  /** The body ended (or its request did): no deadline any more. */
  void stop(BodyDeadline d) {
    if (d != null) {
      tracked.remove(d);
    }
  }

  public int open() {
    return tracked.size();
  }

  /** Calls back every body that missed its deadline; runs on the verticle's event loop. */
  public void sweep() {
    long now = System.nanoTime();
    for (BodyDeadline d : List.copyOf(tracked)) {
      BodyDeadline.Overdue overdue = d.overdue(now);
      if (overdue != null && tracked.remove(d)) {
        d.onOverdue.accept(overdue);
      }
    }
  }

  /**
   * Answers 408 {@code request_timeout} with {@code overdue}'s message, then closes lingering
   * ({@link LingeringClose}): what the client still sends is discarded, never read as a next request.
   */
  static void refuse(HttpServerRequest req, BodyDeadline.Overdue overdue) {
    HttpServerResponse resp = req.response();
    LingeringClose.discardInput(req.connection());
    if (resp.headWritten() || resp.ended() || resp.closed()) {
      req.connection().close();
      return;
    }
    resp.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    ApiErrors.send(resp, 408, "request_timeout", overdue.getMessage())
        .onComplete(v -> LingeringClose.close(req.connection(), LingeringClose.LINGER_MS));
  }
}
