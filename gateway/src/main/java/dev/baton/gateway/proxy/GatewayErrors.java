package dev.baton.gateway.proxy;

import dev.baton.common.http.ApiErrors;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/** The one place that turns a refusal or a failure into the gateway's JSON error response. */
public final class GatewayErrors {

  private GatewayErrors() {
  }

  /** Answers {@code {"error","message"}} with {@code status}; keeps the connection open. */
  public static void send(HttpServerRequest req, int status, String error, String message) {
    HttpServerResponse resp = req.response();
    if (resp.headWritten()) {
      req.connection().close();
      return;
    }
    ApiErrors.send(resp, status, error, message);
  }

  /**
   * Answers and then closes the connection: for requests whose framing we cannot trust, the bytes after
   * them on the connection cannot be trusted either (request smuggling).
   */
  public static void sendAndClose(HttpServerRequest req, int status, String error, String message) {
    ApiErrors.sendAndClose(req, status, error, message);
  }

  public static void send(HttpServerRequest req, RequestFraming.Refusal r, boolean close) {
    if (close) {
      sendAndClose(req, r.status(), r.error(), r.message());
    } else {
      send(req, r.status(), r.error(), r.message());
    }
  }
}
