package dev.baton.gateway.proxy;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * An instance's response relayed to the client: its head (less hop-by-hop fields, with {@code X-Baton-Version}),
 * then its body with back-pressure: the instance is paused while the client's write queue is full. It is the
 * handler of the body's chunks. Lives on the event loop of the client connection, as its {@link Exchange}.
 */
final class ResponseRelay implements Handler<Buffer> {

  private final HttpClientResponse from;
  private final HttpServerResponse to;
  private final Exchange exchange;
  private Buffer pending;

  private ResponseRelay(HttpClientResponse from, HttpServerResponse to, Exchange exchange) {
    this.from = from;
    this.to = to;
    this.exchange = exchange;
  }

  /**
   * Writes the head of {@code from} as the answer to {@code req} and relays the body; {@code exchange} hears of the
   * end or of a broken response. {@code version} (or null: none) goes in {@code X-Baton-Version}; a body without
   * {@code Content-Length} goes chunked to an HTTP/1.1 client.
   */
  static void start(HttpClientResponse from, HttpServerRequest req, Exchange exchange, String version) {
    HttpServerResponse to = req.response();
    int status = from.statusCode();
    to.setStatusCode(status);
    String message = from.statusMessage();
    if (message != null) {
      to.setStatusMessage(message);
    }
    MultiMap h = to.headers();
    h.setAll(from.headers());
    HeaderHygiene.stripHopByHop(h, false);
    if (version != null) {
      h.set(Relay.X_BATON_VERSION, version);
    }
    if (!h.contains(HttpHeaders.CONTENT_LENGTH) && bodyAllowed(status, req.method())
        && req.version() != HttpVersion.HTTP_1_0) {
      to.setChunked(true);
    }
    ResponseRelay relay = new ResponseRelay(from, to, exchange);
    from.handler(relay);
    from.exceptionHandler(relay::broken);
    from.endHandler(v -> relay.end(status));
  }

  /** Holds one chunk back so that a small response goes out as one write with its end. */
  @Override
  public void handle(Buffer chunk) {
    Buffer previous = pending;
    pending = chunk;
    if (previous != null) {
      to.write(previous);
      if (to.writeQueueFull()) {
        from.pause();
        to.drainHandler(v -> from.resume());
      }
    }
  }

  private static boolean bodyAllowed(int status, HttpMethod method) {
    return status >= 200 && status != 204 && status != 304 && method != HttpMethod.HEAD;
  }

  private void end(int status) {
    Buffer held = pending;
    pending = null;
    if (held == null) {
      to.end();
    } else {
      to.end(held);
    }
    exchange.responseEnded(status);
  }

  private void broken(Throwable cause) {
    exchange.responseBroken();
  }
}
