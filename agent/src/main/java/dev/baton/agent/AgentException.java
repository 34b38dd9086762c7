package dev.baton.agent;

import dev.baton.common.model.ApiError;

/**
 * A failure a caller caused or must know about, carrying the HTTP status and the {@code {"error","message"}}
 * body. The HTTP shell writes it as is; the event-bus shell replies {@code fail(status, body)}.
 */
public final class AgentException extends RuntimeException {

  private final int status;
  private final String code;

  public AgentException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public ApiError toApiError() {
    return new ApiError(code, getMessage());
  }

  public static AgentException notFound(String id) {
    return new AgentException(404, "not_found", "No instance '" + id + "' on this agent; GET /v1/instances lists them.");
  }
}
