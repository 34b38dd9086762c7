package dev.baton.registry.release;

import dev.baton.common.model.ApiError;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * An agent's answer refusing a command, with its structured error code: the agent fails the bus request with its
 * HTTP status as failure code and the JSON error body {@code {"error", "message"}} (docs/agent.md). The controller
 * decides on {@link #error()} (e.g. {@code port_in_use}), never on the message's words. Still a {@link ReplyException}
 * with the same failure type and code, so callers that look at {@code failureCode()} keep working.
 */
public final class AgentRefusal extends ReplyException {

  /** The agent's code for a requested port that is not free yet (docs/agent.md). */
  public static final String PORT_IN_USE = "port_in_use";

  private final String error;

  public AgentRefusal(int status, String error, String message) {
    super(ReplyFailure.RECIPIENT_FAILURE, status, error + ": " + message);
    this.error = error;
  }

  /** The agent's error code. */
  public String error() {
    return error;
  }

  /** The refusal a failed reply carries when its body is the agent's JSON error; null when it is anything else. */
  public static AgentRefusal from(Throwable e) {
    if (e instanceof AgentRefusal a) {
      return a;
    }
    if (!(e instanceof ReplyException re) || re.failureType() != ReplyFailure.RECIPIENT_FAILURE
        || re.getMessage() == null || !re.getMessage().startsWith("{")) {
      return null;
    }
    try {
      JsonObject body = new JsonObject(re.getMessage());
      if (!(body.getValue("error") instanceof String)) {
        return null;
      }
      ApiError err = ApiError.fromJson(body);
      return new AgentRefusal(re.failureCode(), err.error(), err.message());
    } catch (RuntimeException notJson) {
      return null;
    }
  }
}
