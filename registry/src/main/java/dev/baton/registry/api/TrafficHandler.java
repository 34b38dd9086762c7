package dev.baton.registry.api;

import dev.baton.common.http.ApiException;
import dev.baton.registry.fleet.MetricsCollector;
import dev.baton.registry.fleet.TrafficSeries;
import dev.baton.registry.store.AppStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Traffic per version, from the gateways' one-second metrics this registry collects (docs/registry-api.md
 * "Traffic"): {@code GET /v1/apps/{app}/traffic?seconds=N} (the last N seconds, one point per second and version)
 * and {@code GET /v1/apps/{app}/traffic/stream} (one {@code event: traffic} per second as Server-Sent Events).
 * Any registry answers, leader or not: each one hears every gateway. The last second shown is the last one that
 * ended {@link #GRACE_MS} ago, so that every gateway's window for it has arrived.
 */
public final class TrafficHandler {

  static final int DEFAULT_SECONDS = 300;
  /** How long after a second ends it is shown: gateways publish their window at its end, the bus adds little. */
  static final long GRACE_MS = 600;
  private static final long TICK_MS = 1000;
  private static final long KEEPALIVE_MS = 15_000;
  private static final int LAST_SECONDS = 10;

  private final Vertx vertx;
  private final AppStore apps;
  private final MetricsCollector metrics;
  private final LongSupplier clock;
  private final Set<HttpServerResponse> open = new HashSet<>();

  public TrafficHandler(Vertx vertx, AppStore apps, MetricsCollector metrics, LongSupplier clock) {
    this.vertx = vertx;
    this.apps = apps;
    this.metrics = metrics;
    this.clock = clock;
  }

  void series(RoutingContext ctx) {
    RegistryApi.reply(ctx, 200, RegistryApi.attempt(() -> {
      String app = Bodies.app(ctx);
      int seconds = seconds(ctx.queryParams().get("seconds"));
      return known(app).map(v -> {
        long now = clock.getAsLong();
        long to = lastSecond(now);
        return toJson(app, now, metrics.series(app, to - seconds * 1000L, to));
      });
    }), v -> v);
  }

  void stream(RoutingContext ctx) {
    RegistryApi.attempt(() -> known(Bodies.app(ctx)).map(v -> Bodies.app(ctx))).onComplete(ar -> {
      if (ar.failed()) {
        RegistryApi.fail(ctx, ar.cause());
      } else {
        open(ctx.response(), ar.result());
      }
    });
  }

  private void open(HttpServerResponse response, String app) {
    response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.write(": traffic of " + app + ", one event per second\n\n");
    long[] last = {lastSecond(clock.getAsLong()) - TICK_MS};
    Runnable emit = () -> {
      long ready = lastSecond(clock.getAsLong());
      // Every second once, in order, even when a timer fires late or twice within one second.
      for (long t = Math.max(last[0] + TICK_MS, ready - 10 * TICK_MS); t <= ready; t += TICK_MS) {
        if (!response.writeQueueFull()) {
          response.write("event: traffic\ndata: " + event(metrics.series(app, t - TICK_MS, t)).encode() + "\n\n");
        }
        last[0] = t;
      }
    };
    emit.run();
    long ticker = vertx.setPeriodic(TICK_MS, t -> emit.run());
    long keepalive = vertx.setPeriodic(KEEPALIVE_MS, t -> response.write(": keep-alive\n\n"));
    open.add(response);
    response.closeHandler(v -> {
      open.remove(response);
      vertx.cancelTimer(ticker);
      vertx.cancelTimer(keepalive);
    });
  }

  /** Ends every open stream (on shutdown: a stream never ends by itself, so it would hold the server open). */
  public void close() {
    List.copyOf(open).forEach(r -> r.end(": registry shutting down\n\n"));
    open.clear();
  }

  private Future<Void> known(String app) {
    return apps.get(app).compose(spec -> spec.isPresent() ? Future.<Void>succeededFuture()
        : Future.failedFuture(ApiException.notFound("no app " + app + "; create it with PUT /v1/apps/" + app)));
  }

  static long lastSecond(long nowMs) {
    return Math.floorDiv(nowMs - GRACE_MS, 1000) * 1000;
  }

  int seconds(String raw) {
    int max = (int) (metrics.retentionMs() / 1000);
    if (raw == null) {
      return Math.min(DEFAULT_SECONDS, max);
    }
    try {
      int n = Integer.parseInt(raw.trim());
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the same answer as out of range
    }
    throw Bodies.invalid("seconds", "must be a whole number of seconds from 1 to " + max
        + " (the registry keeps " + max + " s of gateway metrics); got '" + raw + "'");
  }

  static JsonObject toJson(String app, long now, TrafficSeries s) {
    JsonArray versions = new JsonArray();
    s.versions().forEach((version, points) -> {
      JsonArray series = new JsonArray();
      points.forEach(p -> series.add(point(p)));
      TrafficSeries.Point last = s.lastSeconds(version, LAST_SECONDS);
      int span = Math.min(LAST_SECONDS, points.size());
      versions.add(new JsonObject().put("version", version).put("series", series)
          .put("last10s", new JsonObject().put("rps", span == 0 ? 0.0 : (double) last.requests() / span)
              .put("errorRate", last.errorRate()).put("p99Ms", last.p99Ms())));
    });
    return new JsonObject().put("app", app).put("now", now).put("stepMs", 1000)
        .put("gateways", new JsonArray(s.gateways())).put("versions", versions);
  }

  static JsonObject event(TrafficSeries s) {
    JsonArray versions = new JsonArray();
    s.versions().forEach((version, points) -> {
      TrafficSeries.Point p = points.get(points.size() - 1);
      versions.add(new JsonObject().put("version", version).put("requests", p.requests()).put("errors", p.errors())
          .put("p99Ms", p.p99Ms()));
    });
    return new JsonObject().put("t", s.toMs()).put("versions", versions);
  }

  private static JsonObject point(TrafficSeries.Point p) {
    return new JsonObject().put("t", p.t()).put("requests", p.requests()).put("errors", p.errors())
        .put("p99Ms", p.p99Ms());
  }
}
