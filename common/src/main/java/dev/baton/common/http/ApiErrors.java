package dev.baton.common.http;

import dev.baton.common.http.server.LastResponse;
import dev.baton.common.model.ApiError;
import dev.baton.common.model.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/** Writes the one error shape of every baton API, {@code {"error","message"}}, with its status. */
public final class ApiErrors {

  private ApiErrors() {
  }

  public static Future<Void> send(HttpServerResponse response, int status, ApiError error) {
    if (response.ended() || response.closed()) {
      return Future.succeededFuture();
    }
    return response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(error.toJson().encode());
  }

  public static Future<Void> send(HttpServerResponse response, int status, String code, String message) {
    return send(response, status, new ApiError(code, message));
  }

  /** 400 with every invalid field. */
  public static Future<Void> send(HttpServerResponse response, ValidationException e) {
    return send(response, 400, e.toApiError());
  }

  /**
   * Answers and then closes the connection: for requests whose framing cannot be trusted, the bytes after
   * them on the connection cannot be trusted either (request smuggling). Nothing after {@code req} is read
   * ({@link LastResponse}): the client gets this one response, then end of stream.
   */
  public static void sendAndClose(HttpServerRequest req, int status, String code, String message) {
    LastResponse.stopReading(req);
    HttpServerResponse resp = req.response();
    if (resp.headWritten() || resp.ended()) {
      req.connection().close();
      return;
    }
    resp.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    LastResponse.closeAfter(req, send(resp, status, code, message));
  }
}
