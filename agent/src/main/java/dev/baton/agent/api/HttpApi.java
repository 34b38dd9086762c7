package dev.baton.agent.api;

import dev.baton.agent.instance.InstanceService;
import dev.baton.common.http.AccessPolicy;
import dev.baton.common.http.ApiErrors;
import dev.baton.common.http.ApiException;
import dev.baton.common.model.Instance;
import dev.baton.common.model.StartInstanceRequest;
import dev.baton.common.model.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * The agent's HTTP API, as docs/agent.md lists it. {@code /v1/instances*} and {@code /metrics} follow the
 * {@link AccessPolicy} (checked before the body is read: the read token may list and get, only the operator token
 * may start and stop); {@code /v1/health} is open so Consul can check it. Every error is
 * {@code {"error","message"}}.
 */
public final class HttpApi {

  private static final String JSON = "application/json";

  private final InstanceService service;
  private final String agentId;
  private final AccessPolicy access;
  private final long maxBodyBytes;

  public HttpApi(InstanceService service, String agentId, AccessPolicy access, long maxBodyBytes) {
    this.service = service;
    this.agentId = agentId;
    this.access = access;
    this.maxBodyBytes = maxBodyBytes;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/v1/health").handler(this::health);
    router.route("/metrics").handler(this::authorize);
    router.get("/metrics").handler(PrometheusScrapingHandler.create());
    router.route("/v1/instances*").handler(this::authorize);
    router.route("/v1/instances*").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));
    router.post("/v1/instances").handler(this::start);
    router.get("/v1/instances").handler(this::list);
    router.get("/v1/instances/:id").handler(this::get);
    router.get("/v1/instances/:id/log").handler(new LogHandler(vertx, service)::handle);
    router.delete("/v1/instances/:id").handler(this::stop);
    router.route().failureHandler(this::failure);
    router.errorHandler(404, ctx -> ApiErrors.send(ctx.response(), 404, "not_found",
        "No such endpoint " + ctx.request().path() + "; see /v1/instances and /v1/health."));
    router.errorHandler(405, ctx -> ApiErrors.send(ctx.response(), 405, "method_not_allowed",
        ctx.request().method() + " is not supported on " + ctx.request().path() + "."));
    return router;
  }

  private void health(RoutingContext ctx) {
    send(ctx, 200, new JsonObject().put("status", "UP").put("agent", agentId));
  }

  private void authorize(RoutingContext ctx) {
    if (access.admit(ctx.request())) {
      ctx.next();
    }
  }

  private void start(RoutingContext ctx) {
    String wait = ctx.request().getParam("wait");
    if (wait != null && !"healthy".equals(wait)) {
      ApiErrors.send(ctx.response(), 400, "invalid_request", "wait must be 'healthy' or absent, got '" + wait + "'.");
      return;
    }
    StartInstanceRequest request;
    try {
      request = StartInstanceRequest.fromRequest(jsonBody(ctx));
    } catch (ValidationException e) {
      ApiErrors.send(ctx.response(), e);
      return;
    } catch (ApiException e) {
      reply(ctx, e);
      return;
    }
    Future<Instance> started = service.start(request);
    if (wait == null) {
      started.onComplete(ar -> respond(ctx, 202, ar.map(Instance::toJson)));
    } else {
      started.compose(i -> service.awaitHealthy(i.id())).onComplete(ar -> respond(ctx, 201, ar.map(Instance::toJson)));
    }
  }

  private void list(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    service.list().forEach(i -> out.add(i.toJson()));
    send(ctx, 200, out);
  }

  private void get(RoutingContext ctx) {
    service.get(ctx.pathParam("id")).onComplete(ar -> respond(ctx, 200, ar.map(Instance::toJson)));
  }

  private void stop(RoutingContext ctx) {
    String wait = ctx.request().getParam("wait");
    if (wait != null && !"stopped".equals(wait)) {
      ApiErrors.send(ctx.response(), 400, "invalid_request", "wait must be 'stopped' or absent, got '" + wait + "'.");
      return;
    }
    String id = ctx.pathParam("id");
    Future<Instance> stopping = service.stop(id);
    if (wait == null) {
      stopping.onComplete(ar -> respond(ctx, 202, ar.map(Instance::toJson)));
    } else {
      stopping.compose(i -> service.awaitStopped(id)).onComplete(ar -> respond(ctx, 200, ar.map(Instance::toJson)));
    }
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new ApiException(400, "malformed_json", "the request body is not a JSON object: " + firstLine(e));
    }
    if (body == null) {
      throw new ApiException(400, "malformed_json", "the request body must be a JSON object; it was empty.");
    }
    return body;
  }

  private void respond(RoutingContext ctx, int status, io.vertx.core.AsyncResult<JsonObject> ar) {
    if (ar.succeeded()) {
      send(ctx, status, ar.result());
    } else {
      reply(ctx, ar.cause());
    }
  }

  private static void reply(RoutingContext ctx, Throwable e) {
    ErrorReply error = ErrorReply.of(e);
    ApiErrors.send(ctx.response(), error.status(), error.error());
  }

  private void failure(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      ApiErrors.send(ctx.response(), 413, "body_too_large",
          "the request body is larger than " + maxBodyBytes + " bytes (BATON_MAX_BODY_BYTES).");
    } else if (ctx.failure() != null) {
      reply(ctx, ctx.failure());
    } else {
      int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
      ApiErrors.send(ctx.response(), status, "http_" + status, "the request failed with status " + status + ".");
    }
  }

  private static void send(RoutingContext ctx, int status, Object json) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    String body = json instanceof JsonObject o ? o.encode() : ((JsonArray) json).encode();
    ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body);
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
