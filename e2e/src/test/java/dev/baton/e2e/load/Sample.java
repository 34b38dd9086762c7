package dev.baton.e2e.load;

/**
 * One request the load generator sent through the gateway and what came back.
 *
 * @param kind       which stream sent it
 * @param sentNanos  {@link System#nanoTime()} just before the request was handed to the client
 * @param doneNanos  {@link System#nanoTime()} when the whole response arrived or the request failed
 * @param status     the HTTP status, or 0 when no response arrived (connection refused, reset, timeout)
 * @param version    the version of the instance that answered ({@code X-App-Version}), or null
 * @param key        the {@code Idempotency-Key} of a POST, else null
 * @param user       the {@code X-User-Id} of a sticky request, else null
 * @param error      the transport error or the error code of a 5xx body, else null
 * @param retry      whether this POST re-sent a key whose earlier attempt failed
 */
public record Sample(Kind kind, long sentNanos, long doneNanos, int status, String version, String key, String user,
                     String error, boolean retry) {

  /** The traffic streams. */
  public enum Kind {
    /** {@code GET /} on kept-alive connections. */
    GET,
    /** {@code GET /} on a fresh TCP connection each ({@code Connection: close}). */
    FRESH,
    /** {@code POST /orders} with an {@code Idempotency-Key}. */
    POST,
    /** {@code GET /} with {@code X-User-Id} from a fixed set of users. */
    STICKY,
    /** {@code GET /slow?ms=N}, always some in flight. */
    SLOW
  }

  public boolean failed() {
    return status < 200 || status > 299;
  }

  public double latencyMs() {
    return (doneNanos - sentNanos) / 1e6;
  }

  /** A 500 that sample-app's {@code FAIL_RATE} injected (the failing canary's own errors). */
  public boolean injected() {
    return status == 500 && "injected_failure".equals(error);
  }
}
