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
  /** Where this body's read deadline is swept ({@link BodyDeadline}); null for a body read whole before. */
  private final BodyDeadlines deadlines;
  private BodyDeadline deadline;

  /** {@code keep}: the request may be resent or mirrored, so its body is copied while it streams. */
  RequestBody(HttpServerRequest req, long max, boolean keep, BodyDeadlines deadlines) {
    this.req = req;
    this.max = max;
    this.copy = keep ? Buffer.buffer() : null;
    this.deadlines = deadlines;
  }

  /** A body already read whole ({@link BodyBuffer}): kept, so it is sent, retried and mirrored from memory. */
  static RequestBody buffered(HttpServerRequest req, Buffer body) {
    RequestBody b = new RequestBody(req, Long.MAX_VALUE, true, null);
    b.copy = body;
    b.received = true;
    return b;
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
    BodyDeadline d = deadlines.start(to::bodyOverdue);
    deadline = d;
    req.handler(buf -> {
      d.read(buf.length(), System.nanoTime());
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
        // Back-pressure from the instance: the time the gateway does not read is not the client's.
        req.pause();
        d.pause(System.nanoTime());
        r.drainHandler(v -> {
          d.resume(System.nanoTime());
          req.resume();
        });
      }
    });
    req.endHandler(v -> {
      stopDeadline();
      received = true;
      r.end();
      to.bodyReceived();
    });
    d.resume(System.nanoTime());
    req.resume();
  }

  /** The body no longer needs to arrive in time: it ended, or its exchange did. */
  void stopDeadline() {
    if (deadline != null) {
      deadlines.stop(deadline);
      deadline = null;
    }
  }

  /** Stops sending the rest of the body to an instance whose request was abandoned (its host was lost). */
  void detach() {
    stopDeadline();
    if (!received) {
      req.handler(null);
      req.endHandler(null);
    }
  }
}
