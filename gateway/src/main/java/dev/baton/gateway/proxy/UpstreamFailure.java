package dev.baton.gateway.proxy;

import dev.baton.gateway.routing.VersionRoute;

/** A relayed request's failure before any response byte, and the 502 it ends in when {@link Retry} retries nothing. */
enum UpstreamFailure {
  /** No connection could be made: nothing was sent. */
  CONNECT("upstream_unavailable"),
  /** The instance closed or reset the connection before its response head. */
  RESET("upstream_reset"),
  /** Consul marks the instance's node failed (docs/ARCHITECTURE.md, Gateway, "Instances on a failed host"). */
  HOST_LOST("upstream_unavailable"),
  /** Every pooled connection to the instance is in use, and the wait for one was refused or ran out: 503. */
  BUSY("upstream_busy");

  private final String error;

  UpstreamFailure(String error) {
    this.error = error;
  }

  String error() {
    return error;
  }

  /** The client's message: {@code cause} (null for a host loss) and {@code whyNot} (why no retry; host loss only). */
  String message(VersionRoute version, Throwable cause, String whyNot) {
    String of = version.app() + " " + version.version();
    return switch (this) {
      case CONNECT -> "No instance of " + of + " accepted a connection (" + cause.getMessage() + "); try again shortly.";
      case RESET -> "The instance of " + of + " closed the connection before answering (" + cause.getMessage() + ").";
      case HOST_LOST -> "The host of the instance of " + of + " serving this request failed (Consul marks its node "
          + "failed) before it answered; " + whyNot;
      case BUSY -> UpstreamBusy.message(version, cause);
    };
  }
}
