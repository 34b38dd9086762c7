package dev.baton.registry.api;

import dev.baton.common.http.ApiException;
import dev.baton.common.model.GroupRequest;
import dev.baton.registry.group.GroupService;
import dev.baton.registry.release.ReleaseOperations;
import io.vertx.ext.web.RoutingContext;

/** Release groups: create, list, get, operations (docs/registry-api.md, "Release groups"). */
public final class GroupHandler {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private final GroupService service;

  public GroupHandler(GroupService service) {
    this.service = service;
  }

  void create(RoutingContext ctx) {
    RegistryApi.reply(ctx, 201, RegistryApi.attempt(() -> service.create(GroupRequest.fromJson(Bodies.object(ctx)))),
        g -> g);
  }

  void list(RoutingContext ctx) {
    String limit = ctx.queryParams().get("limit");
    int n = DEFAULT_LIMIT;
    if (limit != null) {
      try {
        n = Integer.parseInt(limit);
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1 || n > MAX_LIMIT) {
        RegistryApi.fail(ctx, Bodies.invalid("limit", "must be an integer between 1 and " + MAX_LIMIT + ", got '"
            + limit + "'"));
        return;
      }
    }
    RegistryApi.reply(ctx, 200, service.list(n), a -> a);
  }

  void get(RoutingContext ctx) {
    RegistryApi.reply(ctx, 200, service.get(ctx.pathParam("id")), g -> g);
  }

  /** {@code POST /v1/release-groups/{id}/<op>}: no body, or an empty object (a group has no gradual abort). */
  void operate(RoutingContext ctx) {
    ReleaseOperations.Op op = ReleaseOperations.Op.parse(ctx.pathParam("op"));
    if (op == null) {
      RegistryApi.fail(ctx, ApiException.notFound("no operation '" + ctx.pathParam("op")
          + "' on release groups; use promote, pause, resume or abort"));
      return;
    }
    RegistryApi.reply(ctx, 200, RegistryApi.attempt(() -> {
      if (ctx.body() != null && ctx.body().buffer() != null && ctx.body().buffer().length() > 0) {
        if (!Bodies.object(ctx).isEmpty()) {
          throw Bodies.invalid(Bodies.object(ctx).fieldNames().iterator().next(), "a release group's " + op.name()
              .toLowerCase(java.util.Locale.ROOT) + " takes no body fields (abort each member with POST"
              + " /v1/releases/{id}/abort for a gradual abort)");
        }
      }
      return service.operate(ctx.pathParam("id"), op);
    }), g -> g);
  }
}
