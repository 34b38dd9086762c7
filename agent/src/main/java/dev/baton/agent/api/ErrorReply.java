package dev.baton.agent.api;

import dev.baton.common.http.ApiException;
import dev.baton.common.http.ErrorText;
import dev.baton.common.model.ApiError;
import dev.baton.common.model.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place a failure becomes a status and an {@code {"error","message"}} body, for HTTP and the event bus. */
public record ErrorReply(int status, ApiError error) {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorReply.class);

  public static ErrorReply of(Throwable e) {
    if (e instanceof ApiException a) {
      return new ErrorReply(a.status(), a.toApiError());
    }
    if (e instanceof ValidationException v) {
      return new ErrorReply(400, v.toApiError());
    }
    LOG.error("unexpected failure", e);
    return new ErrorReply(500, new ApiError("internal_error", "the agent failed unexpectedly: " + ErrorText.of(e)
        + "; see the agent log."));
  }
}
