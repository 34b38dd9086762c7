package dev.baton.agent.api;

import dev.baton.common.http.ApiException;
import dev.baton.common.http.ErrorText;
import dev.baton.common.model.ApiError;
import dev.baton.common.model.ValidationException;

/** The one place a failure becomes a status and an {@code {"error","message"}} body, for HTTP and the event bus. */
public record ErrorReply(int status, ApiError error) {

  public static ErrorReply of(Throwable e) {
    if (e instanceof ApiException a) {
      return new ErrorReply(a.status(), a.toApiError());
    }
    if (e instanceof ValidationException v) {
      return new ErrorReply(400, v.toApiError());
    }
    System.err.println("agent: unexpected failure: " + e);
    return new ErrorReply(500, new ApiError("internal_error", "the agent failed unexpectedly: " + ErrorText.of(e)
        + "; see the agent log."));
  }
}
