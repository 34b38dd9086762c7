package dev.baton.gateway.proxy;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The one retry rule of a relayed request that got no response byte (docs/ARCHITECTURE.md, Gateway, "Retries"):
 * at most once, to another instance of the same version; always when nothing was sent (no connection could be
 * made, or the attempt was abandoned while connecting), else only when the request is safe to send twice and its
 * body, if any, was kept whole for the replay. A connect failure, a reset before the response head and a host
 * Consul marks failed ("Instances on a failed host") all come here; a timeout (504) never does. Pure.
 */
final class Retry {

  /** The outcome. */
  enum Outcome { RETRY, FAIL }

  /** The client's promise that sending this request twice is safe (IETF draft "The Idempotency-Key HTTP Header Field"). */
  static final CharSequence IDEMPOTENCY_KEY = HttpHeaders.createOptimized("Idempotency-Key");

  private Retry() {
  }

  /** Safe to send twice: idempotent by its method (RFC 9110 §9.2.2), or marked so by the client. */
  static boolean safe(HttpServerRequest req) {
    HttpMethod m = req.method();
    return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS || m == HttpMethod.PUT
        || m == HttpMethod.DELETE || m == HttpMethod.TRACE || req.headers().contains(IDEMPOTENCY_KEY);
  }

  /**
   * @param sent       a connection carried (part of) the request to the instance; false while still connecting
   * @param safe       idempotent method or {@code Idempotency-Key}
   * @param hasBody    the request has a body
   * @param bodyKept   the whole body was received and kept for a replay
   * @param retried    this attempt already is the one retry
   * @param anotherOne another usable instance of the version exists
   */
  static Outcome decide(boolean sent, boolean safe, boolean hasBody, boolean bodyKept, boolean retried,
                        boolean anotherOne) {
    if (retried || !anotherOne) {
      return Outcome.FAIL;
    }
    if (!sent) {
      return Outcome.RETRY; // nothing reached the instance: as a failed connect
    }
    return safe && (!hasBody || bodyKept) ? Outcome.RETRY : Outcome.FAIL;
  }

  /** Why a request {@link #decide} failed was not retried, for the client's 502 message. */
  static String whyNot(boolean sent, boolean safe, boolean hasBody, boolean bodyKept, boolean retried) {
    if (retried) {
      return "it had already been retried once.";
    }
    if (sent && !safe) {
      return "it may have reached the instance and is not safe to send twice (an Idempotency-Key allows that).";
    }
    if (sent && hasBody && !bodyKept) {
      return "its body was not kept for a replay (over 64 KiB, or still arriving).";
    }
    return "no other instance of the version could take it; try again shortly.";
  }
}
