package dev.baton.gateway.it;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An instance in the test's JVM that takes its time: {@code GET <any>/slow?ms=M} answers 200 after M ms;
 * {@code GET <any>/chunks?n=N&ms=M&id=I} sends N chunks ({@code chunk-0\n} …), one every M ms starting at once,
 * chunked, and ends right after the last; with {@code &sse=1} the same as Server-Sent Events
 * ({@code data: chunk-0\n\n} …, {@code text/event-stream}). The {@link System#nanoTime()} at which each chunk of
 * request I was handed to the socket is kept ({@link #sent}), so a test in the same JVM can measure its delay.
 * Anything else answers 200 {@code ok} (its health check).
 */
final class Drip {

  final int port;
  private final Vertx vertx;
  private final Map<String, List<Long>> sent = new ConcurrentHashMap<>();

  Drip(Vertx vertx, int port) throws Exception {
    this.vertx = vertx;
    this.port = port;
    vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1").toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The send times of request {@code id}'s chunks so far. */
  List<Long> sent(String id) {
    return sent.getOrDefault(id, List.of());
  }

  private void handle(HttpServerRequest req) {
    HttpServerResponse resp = req.response();
    if (req.path().endsWith("/slow")) {
      long ms = Long.parseLong(req.getParam("ms"));
      vertx.setTimer(Math.max(1, ms), t -> resp.putHeader("Content-Type", "text/plain").end("slept " + ms));
    } else if (req.path().endsWith("/chunks")) {
      int n = Integer.parseInt(req.getParam("n"));
      long ms = Long.parseLong(req.getParam("ms"));
      boolean sse = "1".equals(req.getParam("sse"));
      List<Long> times = new CopyOnWriteArrayList<>();
      sent.put(req.getParam("id"), times);
      resp.setChunked(true).putHeader("Content-Type", sse ? "text/event-stream" : "text/plain");
      if (sse) {
        resp.putHeader("Cache-Control", "no-cache");
      }
      send(resp, 0, n, ms, sse, times);
    } else {
      resp.end("ok");
    }
  }

  private void send(HttpServerResponse resp, int i, int n, long ms, boolean sse, List<Long> times) {
    if (resp.closed()) {
      return;
    }
    times.add(System.nanoTime());
    resp.write(sse ? "data: chunk-" + i + "\n\n" : "chunk-" + i + "\n");
    if (i + 1 == n) {
      resp.end();
    } else {
      vertx.setTimer(ms, t -> send(resp, i + 1, n, ms, sse, times));
    }
  }
}
