package dev.baton.gateway.proxy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;

/**
 * The body of one relayed request, streamed to the instance with back-pressure and never held whole: only a
 * request that is safe to resend or mirrored keeps a copy of a body of up to {@link #REPLAY_LIMIT} bytes while it
 * streams, so that its retry can send it again (as Envoy buffers for retries) and its mirror gets it once complete;
 * a larger body is neither retried once sent nor mirrored (docs/ARCHITECTURE.md, Gateway, "Retries", "Mirror").
 * Lives on the event loop of the client connection, as its {@link Exchange}.
 */
final class RequestBody {

  /** Largest request body kept for a retry or a mirror. */
  static final int REPLAY_LIMIT = 64 * 1024;

  private final HttpServerRequest req;
  private final long max;
  private long bytes;
  /** The body received so far, kept (up to {@link #REPLAY_LIMIT} bytes); null when not kept or it outgrew the limit. */
  private Buffer copy;
  private boolean received;

  /** {@code keep}: the request may be resent or mirrored, so its body is copied while it streams. */
  RequestBody(HttpServerRequest req, long max, boolean keep) {
    this.req = req;
    this.max = max;
    this.copy = keep ? Buffer.buffer() : null;
  }

  /** The whole body arrived and is kept: a retry can replay it, a mirror can have it. */
  boolean kept() {
    return received && copy != null;
  }

  Buffer copy() {
    return copy;
  }

  /**
   * Sends the body to {@code r}: the kept copy when it already arrived whole (a retry), else the client's bytes as
   * they come; {@code to} hears of a body passing {@code BATON_MAX_BODY_BYTES} and of its end.
   */
  void sendTo(HttpClientRequest r, Exchange to) {
    if (kept()) { // a retry: Retry never resends a body that is still arriving or was not kept
      r.end(copy);
      return;
    }
    req.handler(buf -> {
      bytes += buf.length();
      if (bytes > max) {
        to.bodyTooLarge(r, max);
        return;
      }
      if (copy != null) {
        if (copy.length() + buf.length() > REPLAY_LIMIT) {
          copy = null;
        } else {
          copy.appendBuffer(buf);
        }
      }
      r.write(buf);
      if (r.writeQueueFull()) {
        req.pause();
        r.drainHandler(v -> req.resume());
      }
    });
    req.endHandler(v -> {
      received = true;
      r.end();
      to.bodyReceived();
    });
    req.resume();
  }

  /** Stops sending the rest of the body to an instance whose request was abandoned (its host was lost). */
  void detach() {
    if (!received) {
      req.handler(null);
      req.endHandler(null);
    }
  }
}
