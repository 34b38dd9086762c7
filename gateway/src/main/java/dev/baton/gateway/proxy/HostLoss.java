package dev.baton.gateway.proxy;

/**
 * What becomes of a request waiting for its response head when Consul marks its instance's node failed
 * (docs/ARCHITECTURE.md, Gateway, "Instances on a failed host"): the same rules as a connection reset before any
 * response byte (one retry to another instance, only when safe), decided at once instead of after the upstream
 * timeout. Pure.
 */
final class HostLoss {

  /** The outcome. */
  enum Outcome { RETRY, FAIL }

  private HostLoss() {
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
