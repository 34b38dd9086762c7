package dev.baton.gateway.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Small request bodies are read whole before a connection to an instance is taken (nginx's
 * {@code proxy_request_buffering on}; docs/ARCHITECTURE.md, Gateway, "Request bodies"): a client sending its body
 * slowly then holds only its own connection, never one of the instance pool's. Applies to a body whose
 * {@code Content-Length} is at most {@code BATON_REQUEST_BUFFER_BYTES}; larger and chunked bodies stream. Reading
 * is bounded by the body's {@link BodyDeadline}.
 */
final class BodyBuffer {

  private BodyBuffer() {
  }

  /** True when {@code req}'s body is announced with a {@code Content-Length} of at most {@code limit} bytes. */
  static boolean applies(HttpServerRequest req, int limit) {
    if (limit <= 0) {
      return false;
    }
    String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null || req.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
      return false;
    }
    try {
      long n = Long.parseLong(length.trim());
      return n >= 0 && n <= limit;
    } catch (NumberFormatException e) {
      return false; // RequestFraming refused it before
    }
  }

  /**
   * Reads {@code req}'s whole body under a deadline of {@code deadlines}. Fails with {@link BodyDeadline.Overdue}
   * once the 408 is sent, or with the cause when the client went away or the body broke.
   */
  static Future<Buffer> read(HttpServerRequest req, BodyDeadlines deadlines) {
    Promise<Buffer> body = Promise.promise();
    Buffer received = Buffer.buffer();
    BodyDeadline deadline = deadlines.start(overdue -> {
      if (body.tryFail(overdue)) {
        BodyDeadlines.refuse(req, overdue);
      }
    });
    req.handler(buf -> {
      received.appendBuffer(buf);
      deadline.read(buf.length(), System.nanoTime());
    });
    req.endHandler(v -> {
      deadlines.stop(deadline);
      body.tryComplete(received);
    });
    req.exceptionHandler(t -> {
      deadlines.stop(deadline);
      body.tryFail(t);
    });
    req.response().closeHandler(v -> {
      deadlines.stop(deadline);
      body.tryFail(new HttpClosedException("the client closed the connection while sending the body"));
    });
    deadline.resume(System.nanoTime());
    req.resume();
    return body.future();
  }
}
