package dev.baton.gateway.admin;

import dev.baton.common.http.AccessPolicy;
import dev.baton.common.http.ApiErrors;
import dev.baton.common.http.server.LimitedHttpServer;
import dev.baton.gateway.GatewaySettings;
import dev.baton.gateway.discovery.SourceHealth;
import dev.baton.gateway.proxy.TrafficVerticle;
import dev.baton.gateway.routing.AppRoute;
import dev.baton.gateway.routing.RouteSource;
import dev.baton.gateway.routing.RouteTable;
import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.UpstreamRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The admin API (docs/api.md, default 127.0.0.1:8081, {@code BATON_ADMIN_BIND}). {@code GET /health} is open
 * (Consul and load balancers check it); everything else follows the {@link AccessPolicy} (the read token
 * suffices, every admin endpoint being a read), on a server with the traffic port's limits. {@code /health} answers
 * 503 {@code STARTING}
 * until the first route table, then 200 with {@code UP}, or {@code DEGRADED} while some Consul source is
 * failing and routing runs on the last good table (the gateway still serves, so it stays passing).
 */
public final class AdminVerticle extends VerticleBase {

  private final GatewaySettings settings;
  private final RouteSource routes;
  private final UpstreamRegistry upstreams;
  private final Supplier<List<SourceHealth>> sources;
  private final PrometheusMeterRegistry prometheus;
  private final AccessPolicy access;
  private LimitedHttpServer server;

  public AdminVerticle(GatewaySettings settings, RouteSource routes, UpstreamRegistry upstreams,
                       Supplier<List<SourceHealth>> sources, PrometheusMeterRegistry prometheus) {
    this.settings = settings;
    this.routes = routes;
    this.upstreams = upstreams;
    this.sources = sources;
    this.prometheus = prometheus;
    this.access = AccessPolicy.from(settings.config());
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health").handler(this::health);
    router.route().handler(this::authorize);
    if (prometheus != null) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(prometheus));
    }
    router.get("/v1/routes").handler(this::routes);
    router.get("/v1/upstreams").handler(this::upstreams);
    router.route().last().handler(ctx -> ApiErrors.send(ctx.response(), 404, "not_found",
        "No admin endpoint " + ctx.request().method() + " " + ctx.request().path()
            + "; try /health, /metrics, /v1/routes or /v1/upstreams."));
    // Shared like the traffic port, so a gateway replacing this one starts with the same configuration
    // (gateway/README.md, "Replacing a gateway without dropping a request").
    server = LimitedHttpServer.create(vertx, TrafficVerticle.limits(settings), new HttpServerOptions().setReusePort(true),
        router);
    String host = settings.config().adminBind();
    int port = settings.config().adminPort();
    return server.listen(port, host).recover(e -> Future.failedFuture("cannot listen on " + host + ":" + port
        + " (BATON_ADMIN_PORT, BATON_ADMIN_BIND): " + e.getMessage() + "; free the port or choose another"));
  }

  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private void authorize(RoutingContext ctx) {
    if (access.admit(ctx.request())) {
      ctx.next();
    }
  }

  private void health(RoutingContext ctx) {
    RouteTable table = routes.table();
    List<SourceHealth> all = sources.get();
    boolean stale = all.stream().anyMatch(SourceHealth::stale);
    String status = !routes.ready() ? "STARTING" : stale ? "DEGRADED" : "UP";
    JsonArray src = new JsonArray();
    all.forEach(s -> src.add(s.toJson()));
    JsonObject consul = new JsonObject().put("stale", stale).put("sources", src);
    all.stream().filter(SourceHealth::stale).map(SourceHealth::failingSinceMs).min(Comparator.naturalOrder())
        .ifPresent(since -> consul.put("staleSince", Instant.ofEpochMilli(since).toString()));
    all.stream().filter(SourceHealth::stale).findFirst()
        .ifPresent(s -> consul.put("lastError", s.toJson().getString("lastError")));
    int instances = table.apps().stream().mapToInt(a -> a.versions().values().stream()
        .mapToInt(v -> v.upstreams().size()).sum()).sum();
    JsonObject body = new JsonObject().put("status", status).put("gateway", settings.id()).put("consul", consul)
        .put("table", new JsonObject().put("apps", table.apps().size()).put("instances", instances)
            .put("builtAt", table.builtAtMillis() == 0 ? null : Instant.ofEpochMilli(table.builtAtMillis()).toString()));
    if (stale) {
      body.put("message", "Consul is unreachable or failing; routing continues on the route table built at "
          + Instant.ofEpochMilli(table.builtAtMillis()) + ".");
    }
    json(ctx, routes.ready() ? 200 : 503, body);
  }

  private void routes(RoutingContext ctx) {
    RouteTable table = routes.table();
    JsonArray apps = new JsonArray();
    for (AppRoute app : table.apps()) {
      Instant appliedAt = routes.revisionAppliedAt(app.name());
      JsonObject versions = new JsonObject();
      app.versions().forEach((v, vr) -> versions.put(v, new JsonArray(vr.upstreams().stream()
          .map(u -> u.info().id()).toList())));
      JsonObject split = new JsonObject();
      app.effectiveSplit().forEach((v, bp) -> split.put(v, bp));
      apps.add(new JsonObject().put("app", app.name()).put("explicit", app.explicit())
          .put("hosts", new JsonArray(app.hosts())).put("pathPrefix", app.pathPrefix())
          .put("revision", app.revision())
          .put("revisionAppliedAt", appliedAt == null ? null : appliedAt.toString())
          .put("policy", app.policy() == null ? null : app.policy().toJson())
          .put("effectiveSplit", split).put("versions", versions));
    }
    json(ctx, 200, new JsonObject().put("gateway", settings.id()).put("ready", routes.ready())
        .put("builtAt", table.builtAtMillis() == 0 ? null : Instant.ofEpochMilli(table.builtAtMillis()).toString())
        .put("defaultApp", settings.defaultApp()).put("apps", apps)
        .put("problems", new JsonArray(table.problems())));
  }

  private void upstreams(RoutingContext ctx) {
    long now = System.nanoTime();
    JsonArray out = new JsonArray();
    upstreams.all().stream().sorted(Comparator.comparing(u -> u.info().key())).forEach(u -> out.add(upstream(u, now)));
    json(ctx, 200, new JsonObject().put("gateway", settings.id()).put("upstreams", out));
  }

  static JsonObject upstream(Upstream u, long now) {
    boolean ejected = u.ejected(now);
    JsonObject j = new JsonObject().put("id", u.info().id()).put("app", u.info().app())
        .put("version", u.info().version()).put("address", u.info().address()).put("inFlight", u.inFlight())
        .put("draining", u.draining()).put("ejected", ejected)
        .put("consecutiveConnectFailures", u.consecutiveConnectFailures());
    if (ejected) {
      j.put("ejectedForMs", (u.ejectedUntilNanos() - now) / 1_000_000);
    }
    return j;
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encodePrettily());
  }

}
