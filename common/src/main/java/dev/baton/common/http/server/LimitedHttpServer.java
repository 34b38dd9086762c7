package dev.baton.common.http.server;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server with {@link ServerLimits}: Vert.x's own options for what it provides, the strict request
 * decoder and its header-read deadline for the rest, requests the decoder refused answered in the JSON
 * error shape, and nothing read after a refusal that closes ({@link LastResponse}). Create it from a verticle; {@link #shutdown} stops its deadline timer too.
 */
public final class LimitedHttpServer {

  private final Vertx vertx;
  private final HttpServer server;
  private final long sweeper;

  private LimitedHttpServer(Vertx vertx, HttpServer server, long sweeper) {
    this.vertx = vertx;
    this.server = server;
    this.sweeper = sweeper;
  }

  public static LimitedHttpServer create(Vertx vertx, ServerLimits limits, Handler<HttpServerRequest> handler) {
    return create(vertx, limits, new HttpServerOptions(), handler);
  }

  /** As {@link #create(Vertx, ServerLimits, Handler)}, with the limits applied over {@code base}. */
  public static LimitedHttpServer create(Vertx vertx, ServerLimits limits, HttpServerOptions base,
                                         Handler<HttpServerRequest> handler) {
    HttpServerOptions options = limits.applyTo(base);
    HeadDeadlines deadlines = new HeadDeadlines(options, limits.headerTimeoutMs());
    HttpServer server = vertx.createHttpServer(options).connectionHandler(deadlines::install)
        .invalidRequestHandler(LastResponse.guard(new InvalidRequests(limits.maxUriBytes(), limits.maxHeaderBytes())))
        .requestHandler(LastResponse.guard(handler));
    long sweeper = vertx.setPeriodic(sweepIntervalMs(limits.headerTimeoutMs()), t -> deadlines.sweep());
    return new LimitedHttpServer(vertx, server, sweeper);
  }

  /** How often overdue request heads are looked for: a quarter of the deadline, within 50 ms..1 s. */
  public static long sweepIntervalMs(long headerTimeoutMs) {
    return Math.max(50, Math.min(1000, headerTimeoutMs / 4));
  }

  public Future<LimitedHttpServer> listen(int port, String host) {
    return server.listen(port, host).map(this);
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** Stops accepting, lets requests in flight finish for up to {@code timeout}, then closes. */
  public Future<Void> shutdown(long timeout, TimeUnit unit) {
    vertx.cancelTimer(sweeper);
    return server.shutdown(timeout, unit);
  }
}
