package dev.baton.registry.hooks;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server standing for a user's webhook receiver (a smoke-test gate, a notification endpoint): it keeps
 * every request it got and answers the statuses it was told to, in order, then {@code 200}.
 */
public final class Receiver implements AutoCloseable {

  /** One request as received: path, headers (lower-case names), the exact body bytes. */
  public record Got(String path, Map<String, String> headers, byte[] body) {
    public JsonObject json() {
      return new JsonObject(new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  public final List<Got> got = Collections.synchronizedList(new ArrayList<>());
  private final ConcurrentLinkedDeque<Integer> script = new ConcurrentLinkedDeque<>();
  private final Map<String, Integer> held = new java.util.concurrent.ConcurrentHashMap<>();
  private final Vertx vertx;
  private final HttpServer server;

  public Receiver() {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      Map<String, String> headers = new TreeMap<>();
      req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
      got.add(new Got(req.path(), headers, body.getBytes()));
      Integer status = held.containsKey(req.path()) ? held.get(req.path()) : script.pollFirst();
      int s = status == null ? 200 : status;
      req.response().setStatusCode(s).end(s == 200 ? "ok" : "not yet (" + s + ")");
    }));
    try {
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the receiver", e);
    }
  }

  /** The next requests are answered with these statuses, in order. */
  public Receiver answering(int... statuses) {
    for (int s : statuses) {
      script.add(s);
    }
    return this;
  }

  /** Every request to {@code path} is answered {@code status} until {@link #letGo}. */
  public Receiver holding(String path, int status) {
    held.put(path, status);
    return this;
  }

  public Receiver letGo(String path) {
    held.remove(path);
    return this;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  public List<Got> to(String path) {
    synchronized (got) {
      return got.stream().filter(g -> g.path().equals(path)).toList();
    }
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
