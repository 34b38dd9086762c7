package dev.baton.gateway.proxy;

import io.netty.handler.codec.http.HttpResponseStatus;
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
 * then its body as it arrives, with back-pressure: the instance is paused while the client's write queue is full.
 * Each chunk is written when it comes (Server-Sent Events and long polls must not wait for the next one,
 * gateway/README.md "Streaming"); only the body's last bytes, known as such from the instance's
 * {@code Content-Length}, wait for the end, which Netty's decoder hands over with them, so that a small response
 * leaves in one write. It is the handler of the body's chunks. Lives on the event loop of the client connection,
 * as its {@link Exchange}.
 */
final class ResponseRelay implements Handler<Buffer> {

  private final HttpClientResponse from;
  private final HttpServerResponse to;
  private final Exchange exchange;
  /** Body bytes the instance's {@code Content-Length} still announces, or -1 without one. */
  private long remaining;
  /** The body's last bytes, held for the end that comes with them. */
  private Buffer last;

  private ResponseRelay(HttpClientResponse from, HttpServerResponse to, Exchange exchange, long length) {
    this.from = from;
    this.to = to;
    this.exchange = exchange;
    this.remaining = length;
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
    // Only a reason phrase of the instance's own: the standard one is what Vert.x writes without a copy of the status.
    if (message != null && !message.equals(HttpResponseStatus.valueOf(status).reasonPhrase())) {
      to.setStatusMessage(message);
    }
    MultiMap h = to.headers();
    HeaderCopy.replace(h, from.headers());
    HeaderHygiene.stripHopByHop(h, false);
    if (version != null) {
      h.set(Relay.X_BATON_VERSION, version);
    }
    String length = from.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null && bodyAllowed(status, req.method()) && req.version() != HttpVersion.HTTP_1_0) {
      to.setChunked(true);
    }
    ResponseRelay relay = new ResponseRelay(from, to, exchange, length == null ? -1 : parse(length));
    from.handler(relay);
    from.exceptionHandler(relay::broken);
    from.endHandler(v -> relay.end(status));
  }

  @Override
  public void handle(Buffer chunk) {
    if (remaining > 0 && (remaining -= chunk.length()) == 0) {
      last = chunk;
      return;
    }
    to.write(chunk);
    if (to.writeQueueFull()) {
      from.pause();
      to.drainHandler(v -> from.resume());
    }
  }

  private static long parse(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1; // Netty's decoder accepted it, so it frames the body; without the number nothing is held
    }
  }

  private static boolean bodyAllowed(int status, HttpMethod method) {
    return status >= 200 && status != 204 && status != 304 && method != HttpMethod.HEAD;
  }

  private void end(int status) {
    if (last == null) {
      to.end();
    } else {
      to.end(last);
    }
    exchange.responseEnded(status);
  }

  private void broken(Throwable cause) {
    exchange.responseBroken();
  }
}
