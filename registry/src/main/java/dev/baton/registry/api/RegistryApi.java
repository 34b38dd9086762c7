package dev.baton.registry.api;

import dev.baton.common.http.AccessPolicy;
import dev.baton.common.http.ApiException;
import dev.baton.common.http.ApiErrors;
import dev.baton.common.http.ErrorText;
import dev.baton.common.model.ValidationException;
import dev.baton.registry.release.ReleaseOperations;
import dev.baton.registry.store.ArtifactStore;
import dev.baton.registry.store.ConflictException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's HTTP API (DESIGN.md §9). Routes are declared here; handlers live in one class per
 * resource; every failure becomes the one JSON error shape in {@link #fail}. Artifact uploads are
 * streamed (no body handler); JSON bodies are capped at {@code maxJsonBytes} (413 above). Only
 * {@code /v1/health} (Consul checks it) and the dashboard's static files ({@link Dashboard}) are open; the rest
 * follows the {@link AccessPolicy}, artifact downloads included (docs/ARCHITECTURE.md "Registry").
 */
public final class RegistryApi {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryApi.class);

  /** Whether this registry may write now, and who to send writes to when not. */
  public interface Leadership {
    boolean isLeader();

    Future<Optional<JsonObject>> leader();
  }

  private final AccessPolicy access;
  private final Leadership leadership;

  public RegistryApi(AccessPolicy access, Leadership leadership) {
    this.access = access;
    this.leadership = leadership;
  }

  public Router router(Vertx vertx, long maxJsonBytes, String registryId, ArtifactHandler artifacts, AppHandler apps,
                       ReleaseHandler releases, GroupHandler groups, EventStream events, TrafficHandler traffic) {
    Router router = Router.router(vertx);
    router.get("/v1/health").handler(ctx -> leadership.leader().onComplete(ar -> json(ctx, 200, new JsonObject()
        .put("status", "UP").put("registry", registryId).put("leader", leadership.isLeader())
        .put("leaderInfo", ar.succeeded() ? ar.result().orElse(null) : null))));
    Dashboard.mount(router);
    // Everything else needs a token: GET and HEAD the read or the operator token, the rest the operator token.
    router.route("/v1/*").handler(this::authorize);
    router.get("/v1/artifacts/:app/:version").handler(artifacts::download);
    router.put("/v1/artifacts/:app/:version").handler(write(artifacts::upload));
    router.delete("/v1/artifacts/:app/:version").handler(write(artifacts::delete));
    router.post("/v1/artifacts/:app/:version/replica").handler(artifacts::replica);
    router.delete("/v1/artifacts/:app/:version/replica").handler(artifacts::dropReplica);
    router.get("/v1/artifacts/:app").handler(artifacts::list);
    router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(maxJsonBytes));
    router.get("/v1/apps").handler(apps::list);
    router.get("/v1/apps/:app").handler(apps::get);
    router.get("/v1/apps/:app/traffic").handler(traffic::series);
    router.get("/v1/apps/:app/traffic/stream").handler(traffic::stream);
    router.put("/v1/apps/:app").handler(write(apps::put));
    router.delete("/v1/apps/:app").handler(write(apps::delete));
    router.put("/v1/apps/:app/route").handler(write(apps::putRoute));
    router.post("/v1/apps/:app/rollback").handler(write(releases::rollback));
    router.post("/v1/apps/:app/releases").handler(write(releases::create));
    router.get("/v1/apps/:app/releases").handler(releases::list);
    router.get("/v1/releases/:id").handler(releases::get);
    router.post("/v1/releases/:id/:op").handler(write(releases::operate));
    router.post("/v1/release-groups").handler(write(groups::create));
    router.get("/v1/release-groups").handler(groups::list);
    router.get("/v1/release-groups/:id").handler(groups::get);
    router.post("/v1/release-groups/:id/:op").handler(write(groups::operate));
    router.get("/v1/events").handler(events::stream);
    router.route().failureHandler(ctx -> fail(ctx, ctx.failure() != null ? ctx.failure()
        : new ApiException(ctx.statusCode(), codeFor(ctx.statusCode()), messageFor(ctx.statusCode()))));
    router.errorHandler(404, ctx -> ApiErrors.send(ctx.response(), 404, "not_found",
        "no such endpoint: " + ctx.request().method() + " " + ctx.request().path()));
    router.errorHandler(405, ctx -> ApiErrors.send(ctx.response(), 405, "method_not_allowed",
        ctx.request().method() + " is not allowed on " + ctx.request().path()));
    return router;
  }

  private void authorize(RoutingContext ctx) {
    if (access.admit(ctx.request())) {
      ctx.next();
    }
  }

  /** Wraps a write: only the leader writes; a follower answers 503 naming the leader. */
  private Handler<RoutingContext> write(Handler<RoutingContext> handler) {
    return ctx -> {
      if (leadership.isLeader()) {
        handler.handle(ctx);
        return;
      }
      leadership.leader().onComplete(ar -> {
        JsonObject l = ar.succeeded() ? ar.result().orElse(null) : null;
        String who = l == null ? "no leader is elected right now; retry in a few seconds"
            : "send writes to the leader " + l.getString("id") + " at " + l.getString("url");
        ApiErrors.send(ctx.response().putHeader("Retry-After", "2"), 503, "not_leader", "this registry is a follower: " + who);
      });
    };
  }

  /** Completes the request with {@code result} as JSON, or with the error it failed with. */
  static <T> void reply(RoutingContext ctx, int status, Future<T> result, Function<T, Object> body) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, status, body.apply(ar.result()));
      } else {
        fail(ctx, ar.cause());
      }
    });
  }

  /** Runs {@code work}, turning a synchronous throw (validation) into the same error reply. */
  static <T> Future<T> attempt(Supplier<Future<T>> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  static void json(RoutingContext ctx, int status, Object body) {
    if (ctx.response().ended()) {
      return;
    }
    String text = body instanceof JsonObject o ? o.encode() : io.vertx.core.json.Json.encode(body);
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
  }

  static void fail(RoutingContext ctx, Throwable e) {
    if (e instanceof ApiException api) {
      ApiErrors.send(ctx.response(), api.status(), api.toApiError());
    } else if (e instanceof ValidationException v) {
      ApiErrors.send(ctx.response(), v);
    } else if (e instanceof ReleaseOperations.NotAllowedException n) {
      ApiErrors.send(ctx.response(), 409, "invalid_transition", n.getMessage());
    } else if (e instanceof ArtifactStore.TooLargeException t) {
      ApiErrors.send(ctx.response().putHeader("Connection", "close"), 413, "payload_too_large", t.getMessage());
    } else if (e instanceof ArtifactStore.ArtifactConflictException c) {
      ApiErrors.send(ctx.response(), 409, "artifact_exists", c.getMessage());
    } else if (e instanceof io.vertx.ext.web.handler.HttpException h) {
      ApiErrors.send(ctx.response(), h.getStatusCode(), codeFor(h.getStatusCode()), messageFor(h.getStatusCode()));
    } else if (e instanceof ConflictException c) {
      ApiErrors.send(ctx.response(), 409, "conflict", c.getMessage());
    } else {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), e);
      ApiErrors.send(ctx.response(), 500, "internal", "the registry failed: " + ErrorText.of(e));
    }
  }

  private static String codeFor(int status) {
    return switch (status) {
      case 413 -> "payload_too_large";
      case 400 -> "invalid_request";
      case 404 -> "not_found";
      default -> "error";
    };
  }

  private static String messageFor(int status) {
    return switch (status) {
      case 413 -> "the request body is too large (JSON bodies are capped; artifacts go to PUT /v1/artifacts/{app}/{version})";
      case 400 -> "the request is malformed";
      default -> "request failed with status " + status;
    };
  }

}
