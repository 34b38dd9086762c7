package dev.baton.registry.release;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * What became of one {@link Action}: done (with a note worth recording, or none), or failed with a {@link Kind} the
 * release decides on ({@link Outcomes}) and a message for its history. The controller maps each action's future to
 * one with {@link #of}.
 */
public sealed interface ActionResult {

  Action action();

  /** The closed set of failures a release tells apart. */
  enum Kind {
    /** The agent refused the start or the instance never passed its health check: a health gate failure. */
    START_REFUSED,
    /**
     * The agent never answered (no handler: it left the cluster; or a timeout): it may have died mid-start, which
     * says nothing about the new version's health (docs/ARCHITECTURE.md, Registry, "Truth from every source").
     */
    AGENT_UNANSWERED,
    /** The agent refused a requested port ({@code port_in_use}, e.g. the old instance's sockets in TIME_WAIT). */
    PORT_BUSY,
    /** Anything else: a stop or a route write that failed. */
    OTHER
  }

  /** The action succeeded; {@code note} is worth a history entry (null: nothing to say). */
  record Done(Action action, String note) implements ActionResult {
  }

  /** The action failed; {@code message} says which action and why. */
  record Failed(Action action, Kind kind, String message) implements ActionResult {
  }

  /** The result of {@code a} that ended with {@code note} ({@code error} null) or with {@code error}. */
  static ActionResult of(Action a, String note, Throwable error) {
    if (error == null) {
      return new Done(a, note);
    }
    String message = describe(a) + " failed: " + error.getMessage();
    if (error instanceof ReplyException re
        && (re.failureType() == ReplyFailure.NO_HANDLERS || re.failureType() == ReplyFailure.TIMEOUT)) {
      return new Failed(a, Kind.AGENT_UNANSWERED, message);
    }
    if (a instanceof Action.StartInstance s) {
      AgentRefusal refusal = AgentRefusal.from(error);
      boolean busy = s.port() != null && refusal != null && AgentRefusal.PORT_IN_USE.equals(refusal.error());
      return new Failed(a, busy ? Kind.PORT_BUSY : Kind.START_REFUSED, message);
    }
    return new Failed(a, Kind.OTHER, message);
  }

  private static String describe(Action a) {
    if (a instanceof Action.StartInstance s) {
      return "starting " + s.version() + " on agent " + s.agentId();
    }
    return a instanceof Action.StopInstance s ? "stopping " + s.instanceId() + " on agent " + s.agentId()
        : "writing the route";
  }
}
