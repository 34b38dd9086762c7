package dev.baton.gateway.it;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An instance that shows the request headers it received: it answers each request with them as JSON (names in
 * lower case, repeated fields joined with ", "), after reading the whole body, and keeps them by
 * {@code X-Request-Id}, so that a test can also see what reached it when nobody reads its answer (a mirror):
 * {@code GET /__seen/<id>} on its own port returns them, 404 until then.
 */
final class HeaderEcho {

  private static final String SEEN = "/__seen/";

  final int port;
  private final Map<String, JsonObject> seen = new ConcurrentHashMap<>();

  HeaderEcho(Vertx vertx, int port) throws Exception {
    this.port = port;
    vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1").toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void handle(HttpServerRequest req) {
    if (req.path().startsWith(SEEN)) {
      JsonObject h = seen.get(req.path().substring(SEEN.length()));
      req.response().setStatusCode(h == null ? 404 : 200).putHeader("Content-Type", "application/json")
          .end(h == null ? "{}" : h.encode());
      return;
    }
    JsonObject headers = new JsonObject();
    for (String name : req.headers().names()) {
      headers.put(name.toLowerCase(), String.join(", ", req.headers().getAll(name)));
    }
    req.body().onComplete(ar -> {
      String id = req.getHeader("X-Request-Id");
      if (id != null) {
        seen.put(id, headers);
      }
      req.response().putHeader("Content-Type", "application/json").end(headers.encode());
    });
  }
}
