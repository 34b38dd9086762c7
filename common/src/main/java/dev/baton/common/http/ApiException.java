package dev.baton.common.http;

import dev.baton.common.model.ApiError;

/**
 * A failure a caller caused or must know about, with its HTTP status and the error code of DESIGN.md §9.
 * HTTP shells write it with {@link ApiErrors#send(io.vertx.core.http.HttpServerResponse, int, ApiError)};
 * event-bus shells reply {@code fail(status, toApiError().toJson().encode())}.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final String code;

  public ApiException(int status, String code, String message) {
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

  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  public static ApiException conflict(String code, String message) {
    return new ApiException(409, code, message);
  }
}
