package dev.baton.gateway.it;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small, bounded HTTP load on one port of 127.0.0.1 for gateway ITs: named loops, each sending one request
 * at a time with a pause between them, on a keep-alive pool or on a fresh connection per request. Every
 * request counts once, as a success (status 200 and the whole body read) or a failure (anything else,
 * including a reset); there are no retries, so a dropped request shows. Runs on the given (test) Vert.x.
 */
final class Load {

  /** What the load saw: requests finished, failures among them, and the first failures' descriptions. */
  record Figures(long requests, long failures, List<String> firstFailures) {
  }

  private final Vertx vertx;
  private final int port;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final List<String> firstFailures = new ArrayList<>();
  private final List<HttpClientAgent> clients = new ArrayList<>();
  private final AtomicLong active = new AtomicLong();

  Load(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  /**
   * Starts {@code loops} loops named {@code name} sending GET {@code path}, {@code pauseMs} apart; with
   * {@code keepAlive} they share a pool of {@code loops} connections, else each request has its own.
   */
  Load loops(String name, String path, int loops, boolean keepAlive, long pauseMs) {
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(keepAlive)
        .setKeepAliveTimeout(60), new PoolOptions().setHttp1MaxSize(loops));
    clients.add(client);
    for (int i = 0; i < loops; i++) {
      active.incrementAndGet();
      vertx.runOnContext(v -> next(name, client, path, pauseMs));
    }
    return this;
  }

  private void next(String name, HttpClientAgent client, String path, long pauseMs) {
    if (!running.get()) {
      active.decrementAndGet();
      return;
    }
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(path).setConnectTimeout(5_000).setIdleTimeout(20_000);
    client.request(options)
        .compose(req -> req.send().compose(resp -> resp.body().compose(body -> resp.statusCode() == 200
            ? Future.succeededFuture()
            : Future.failedFuture("status " + resp.statusCode() + ": " + body))))
        .onComplete(ar -> {
          requests.incrementAndGet();
          if (ar.failed()) {
            failures.incrementAndGet();
            synchronized (firstFailures) {
              if (firstFailures.size() < 10) {
                firstFailures.add(java.time.Instant.now() + " " + name + " " + path + ": " + ar.cause());
              }
            }
          }
          vertx.setTimer(Math.max(1, pauseMs), t -> next(name, client, path, pauseMs));
        });
  }

  long requests() {
    return requests.get();
  }

  /** Stops the loops after their current request and waits (up to 30 s) for those to finish. */
  Figures stop() {
    running.set(false);
    dev.baton.testsupport.Poll.until(java.time.Duration.ofSeconds(30), () -> active.get() == 0,
        "the load's loops to finish their last request");
    clients.forEach(HttpClientAgent::close);
    synchronized (firstFailures) {
      return new Figures(requests.get(), failures.get(), List.copyOf(firstFailures));
    }
  }
}
