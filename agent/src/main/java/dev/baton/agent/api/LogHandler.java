package dev.baton.agent.api;

import dev.baton.agent.instance.InstanceService;
import dev.baton.agent.logs.LogStream;
import dev.baton.common.http.ApiErrors;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/instances/{id}/log?lines=N[&follow=true]} (docs/agent.md, "Logs"): the last N lines of an
 * instance's {@code instance.log} as {@code text/plain}, and with {@code follow} what it writes next, until it
 * ends or the client goes. The read token suffices.
 */
final class LogHandler {

  static final int DEFAULT_LINES = 100;
  static final int MAX_LINES = 10_000;
  /** How often a follow looks for what the instance appended. */
  static final long POLL_MS = 250;

  private final Vertx vertx;
  private final InstanceService service;

  LogHandler(Vertx vertx, InstanceService service) {
    this.vertx = vertx;
    this.service = service;
  }

  void handle(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String rawLines = ctx.request().getParam("lines");
    String rawFollow = ctx.request().getParam("follow");
    int lines;
    try {
      lines = rawLines == null ? DEFAULT_LINES : Integer.parseInt(rawLines);
    } catch (NumberFormatException e) {
      lines = -1;
    }
    if (lines < 0 || lines > MAX_LINES) {
      ApiErrors.send(ctx.response(), 400, "invalid_request", "lines must be a whole number from 0 to " + MAX_LINES
          + " (default " + DEFAULT_LINES + "), got '" + rawLines + "'.");
      return;
    }
    if (rawFollow != null && !rawFollow.equals("true") && !rawFollow.equals("false")) {
      ApiErrors.send(ctx.response(), 400, "invalid_request", "follow must be 'true' or 'false', got '" + rawFollow
          + "'.");
      return;
    }
    boolean follow = "true".equals(rawFollow);
    int wanted = lines;
    service.logOf(id).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else {
        LogStream.serve(vertx, ar.result(), wanted, follow, () -> service.ended(id), ctx.response(), POLL_MS);
      }
    });
  }
}
