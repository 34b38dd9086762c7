package dev.baton.gateway.proxy;

import dev.baton.common.http.ApiErrors;
import dev.baton.gateway.GatewaySettings.UpstreamQueue;
import dev.baton.gateway.routing.VersionRoute;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.TimeoutException;

/**
 * A request that got no connection to its instance because every pooled one is in use (docs/ARCHITECTURE.md,
 * Gateway, "Request bodies"): the pool's wait queue was full ({@code BATON_UPSTREAM_QUEUE_SIZE}), or no connection
 * came within {@code BATON_UPSTREAM_QUEUE_TIMEOUT_MS}. The instance is busy, not failing: it is not counted
 * towards ejection ({@link UpstreamFailure#BUSY}), and the client gets 503 {@code upstream_busy} with
 * {@code Retry-After} rather than an endless wait, after the one retry on another instance that {@link Retry}
 * allows (nothing was sent).
 */
final class UpstreamBusy {

  /** Seconds a refused client is asked to wait before it tries again. */
  static final String RETRY_AFTER_S = "1";

  private UpstreamBusy() {
  }

  /**
   * True when {@code cause} (a failed {@code HttpClient.request}) says the pool was busy: its queue was full, or
   * its timer, set to {@link #waitMs}, ran out. A failed connect is a {@code ConnectException} instead (its own
   * timeout, {@code BATON_CONNECT_TIMEOUT_MS}, is shorter than that timer).
   */
  static boolean busy(Throwable cause) {
    return cause instanceof ConnectionPoolTooBusyException || cause instanceof TimeoutException;
  }

  /**
   * The timer of a request for a connection ({@code RequestOptions.setConnectTimeout}, which Vert.x runs from the
   * moment the request waits or connects): the queue's wait plus the connect timeout, so that a connect that
   * fails by itself is seen as a connect failure, not as a busy pool.
   */
  static long waitMs(UpstreamQueue queue, long connectTimeoutMs) {
    return queue.timeoutMs() + connectTimeoutMs;
  }

  static String message(VersionRoute version, Throwable cause) {
    String why = cause instanceof ConnectionPoolTooBusyException
        ? "the most requests that may wait for one already do (BATON_UPSTREAM_QUEUE_SIZE)"
        : "none came free in time (BATON_UPSTREAM_QUEUE_TIMEOUT_MS)";
    return "Every connection to the instances of " + version.app() + " " + version.version() + " is in use and "
        + why + "; retry in " + RETRY_AFTER_S + " s, or raise BATON_UPSTREAM_POOL_SIZE if the instances can take "
        + "more concurrent requests.";
  }

  /** 503 {@code upstream_busy} with {@code Retry-After}; a body never read closes the connection after it. */
  static void answer(HttpServerRequest req, String message) {
    HttpServerResponse resp = req.response();
    if (!resp.headWritten()) {
      resp.putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_S);
    }
    if (req.isEnded() || resp.headWritten()) {
      GatewayErrors.send(req, 503, "upstream_busy", message);
      return;
    }
    // A streaming body was never read: the connection cannot carry a next request, and closes lingering.
    LingeringClose.discardInput(req.connection());
    resp.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    ApiErrors.send(resp, 503, "upstream_busy", message)
        .onComplete(v -> LingeringClose.close(req.connection(), LingeringClose.LINGER_MS));
  }
}
