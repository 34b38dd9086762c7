package dev.baton.registry.api;

import dev.baton.common.http.ApiException;
import dev.baton.common.model.AbortRequest;
import dev.baton.common.model.Fields;
import dev.baton.common.model.Names;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleaseRequest;
import dev.baton.registry.release.ReleaseOperations;
import dev.baton.registry.store.AppStore;
import dev.baton.registry.store.ReleaseStore;
import dev.baton.registry.store.Versioned;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;

/** Releases: create, list, get, operations (promote, pause, resume, abort) and app rollback. */
public final class ReleaseHandler {

  private final ReleaseService service;
  private final ReleaseStore releases;
  private final AppStore apps;

  public ReleaseHandler(ReleaseService service, ReleaseStore releases, AppStore apps) {
    this.service = service;
    this.releases = releases;
    this.apps = apps;
  }

  void create(RoutingContext ctx) {
    RegistryApi.reply(ctx, 201, RegistryApi.attempt(() -> {
      String app = Bodies.app(ctx);
      ReleaseRequest request = ReleaseRequest.fromJson(Bodies.object(ctx));
      return service.create(app, request);
    }), Release::toApiJson);
  }

  /** {@code POST /v1/apps/{app}/rollback}, with no body or {@code {"version"}} (docs/registry-api.md). */
  void rollback(RoutingContext ctx) {
    RegistryApi.reply(ctx, 201, RegistryApi.attempt(() -> {
      String app = Bodies.app(ctx);
      String to = null;
      if (ctx.body() != null && ctx.body().buffer() != null && ctx.body().buffer().length() > 0) {
        Fields f = Fields.strict(Bodies.object(ctx));
        to = f.matching("version", false, Names.VERSION, "must match [0-9A-Za-z][0-9A-Za-z._-]{0,63}");
        f.throwIfInvalid();
      }
      return service.rollback(app, to);
    }), Release::toApiJson);
  }

  void list(RoutingContext ctx) {
    RegistryApi.reply(ctx, 200, RegistryApi.attempt(() -> {
      String app = Bodies.app(ctx);
      return apps.get(app).compose(spec -> spec.isEmpty()
          ? Future.failedFuture(ApiException.notFound("no app " + app))
          : releases.list(app));
    }), all -> {
      JsonArray out = new JsonArray();
      all.forEach(v -> out.add(v.value().toApiJson()));
      return out;
    });
  }

  void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    RegistryApi.reply(ctx, 200, releases.get(id).compose(found -> found.isEmpty()
        ? Future.failedFuture(ApiException.notFound("no release " + id)) : Future.succeededFuture(found.get())),
        (Versioned<Release> v) -> v.value().toApiJson());
  }

  void operate(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ReleaseOperations.Op op = ReleaseOperations.Op.parse(ctx.pathParam("op"));
    if (op == null) {
      RegistryApi.fail(ctx, ApiException.notFound("no operation '" + ctx.pathParam("op")
          + "' on releases; use promote, pause, resume or abort"));
      return;
    }
    RegistryApi.reply(ctx, 200, RegistryApi.attempt(() -> {
      AbortRequest abort = AbortRequest.IMMEDIATE;
      boolean body = ctx.body() != null && ctx.body().buffer() != null && ctx.body().buffer().length() > 0;
      if (body && op == ReleaseOperations.Op.ABORT) {
        abort = AbortRequest.fromJson(Bodies.object(ctx));
      }
      return service.operate(id, op, abort);
    }), Release::toApiJson);
  }
}
