package dev.baton.registry.api;

import dev.baton.common.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/events}: {@code baton.events} as Server-Sent Events ({@code event: <kind>},
 * {@code data: <json>}), optionally only one app's ({@code ?app=}); a comment every 15 s keeps proxies
 * from closing an idle stream.
 */
public final class EventStream {

  private static final long KEEPALIVE_MS = 15_000;

  private final Vertx vertx;
  private final java.util.Set<HttpServerResponse> open = new java.util.HashSet<>();

  public EventStream(Vertx vertx) {
    this.vertx = vertx;
  }

  void stream(RoutingContext ctx) {
    String app = ctx.queryParams().get("app");
    HttpServerResponse response = ctx.response().setChunked(true)
        .putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(Addresses.EVENTS, m -> {
      if (m.body() instanceof JsonObject json && (app == null || app.equals(json.getString("app")))
          && !response.writeQueueFull()) {
        response.write("event: " + json.getString("kind", "event") + "\ndata: " + json.encode() + "\n\n");
      }
    });
    long keepalive = vertx.setPeriodic(KEEPALIVE_MS, t -> response.write(": keepalive\n\n"));
    open.add(response);
    response.closeHandler(v -> {
      open.remove(response);
      vertx.cancelTimer(keepalive);
      consumer.unregister();
    });
    consumer.completion().onComplete(ar -> response.write(": subscribed to " + Addresses.EVENTS + "\n\n"));
  }

  /** Ends every open stream (on shutdown: a stream never ends by itself, so it would hold the server open). */
  public void close() {
    java.util.List.copyOf(open).forEach(r -> r.end(": registry shutting down\n\n"));
    open.clear();
  }
}
