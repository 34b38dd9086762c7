package dev.baton.registry.api;

import dev.baton.common.http.ApiException;
import dev.baton.common.model.AppSpec;
import dev.baton.common.model.Notify;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.RouteRule;
import dev.baton.common.model.WeightedVersion;
import dev.baton.registry.reconcile.AppStatusStore;
import dev.baton.registry.fleet.FleetDiscovery;
import dev.baton.registry.fleet.MetricsCollector;
import dev.baton.registry.release.ReleaseState;
import dev.baton.registry.store.AppStore;
import dev.baton.registry.store.RouteStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Apps: {@code PUT/GET /v1/apps/{app}}, {@code GET /v1/apps}, and the manual route override. */
public final class AppHandler {

  private final AppStore apps;
  private final RouteStore routes;
  private final ReleaseService releases;
  private final AppInstances instances;
  private final AppStatusStore statuses;
  private final FleetDiscovery fleet;
  private final MetricsCollector metrics;

  public AppHandler(AppStore apps, RouteStore routes, ReleaseService releases, AppInstances instances,
                    AppStatusStore statuses, FleetDiscovery fleet, MetricsCollector metrics) {
    this.apps = apps;
    this.routes = routes;
    this.releases = releases;
    this.instances = instances;
    this.statuses = statuses;
    this.fleet = fleet;
    this.metrics = metrics;
  }

  void put(RoutingContext ctx) {
    AppSpec[] spec = new AppSpec[1];
    RegistryApi.attempt(() -> {
      AppSpec sent = AppSpec.fromRequest(Bodies.app(ctx), Bodies.object(ctx));
      return keepRedactedSecrets(sent).compose(s -> {
        spec[0] = s;
        return apps.put(s);
      });
    }).onComplete(ar -> {
      if (ar.failed()) {
        RegistryApi.fail(ctx, ar.cause());
      } else {
        RegistryApi.json(ctx, ar.result() ? 201 : 200, spec[0].toJson());
      }
    });
  }

  /**
   * A spec read back from the API shows each notification secret (and a Slack URL's path) as {@value Notify#REDACTED};
   * sent again, the marker keeps the stored value (docs/registry-api.md, "Notifications", {@link Notify#restore}).
   */
  private Future<AppSpec> keepRedactedSecrets(AppSpec sent) {
    if (sent.notifications().stream().noneMatch(n -> n.secretRedacted() || n.urlRedacted())) {
      return Future.succeededFuture(sent);
    }
    return apps.get(sent.name()).map(stored -> sent.withNotify(Notify.restore(sent.notifications(),
        stored.map(AppSpec::notifications).orElse(List.of()))));
  }

  void get(RoutingContext ctx) {
    RegistryApi.reply(ctx, 200, RegistryApi.attempt(() -> view(Bodies.app(ctx))), v -> v);
  }

  void list(RoutingContext ctx) {
    RegistryApi.reply(ctx, 200, apps.list().compose(all -> {
      List<Future<JsonObject>> views = new ArrayList<>();
      all.forEach(spec -> views.add(view(spec.name())));
      return Future.all(views).map(done -> {
        JsonArray out = new JsonArray();
        views.forEach(v -> out.add(v.result()));
        return out;
      });
    }), v -> v);
  }

  /**
   * {@code DELETE /v1/apps/{app}} (docs/registry-api.md, "Deleting an app"): only an app that runs nothing and will
   * start nothing — no active release, {@code instances} 0 (or never released), no instance left in Consul — so a
   * delete never orphans a process or cuts traffic. Its artifacts stay (DELETE them on their own).
   */
  void delete(RoutingContext ctx) {
    RegistryApi.reply(ctx, 200, RegistryApi.attempt(() -> {
      String app = Bodies.app(ctx);
      return apps.get(app).compose(spec -> {
        if (spec.isEmpty()) {
          return Future.failedFuture(ApiException.notFound("no app " + app));
        }
        var inst = instances.of(app);
        var history = releases.history(app);
        return Future.all(inst, history).compose(all -> {
          var active = ReleaseService.activeOf(history.result());
          if (active.isPresent()) {
            return Future.failedFuture(ApiException.conflict("release_in_progress", "release "
                + active.get().id() + " of " + app + " is running; abort it first"));
          }
          int running = inst.result().size();
          if (spec.get().instances() > 0 && !history.result().isEmpty()) {
            return Future.failedFuture(ApiException.conflict("app_not_scaled_down", app + " wants "
                + spec.get().instances() + " instance(s): set \"instances\": 0 with PUT /v1/apps/" + app
                + " (the reconciler stops them, draining each), then delete it once none is left; `baton app delete "
                + app + " --yes` does both"));
          }
          if (running > 0) {
            return Future.failedFuture(ApiException.conflict("app_has_instances", app + " still has " + running
                + " instance(s) registered in Consul; delete it once the reconciler stopped them"));
          }
          return apps.delete(app).map(v -> new JsonObject().put("app", app).put("deleted", true)
              .put("releasesForgotten", history.result().size())
              .put("note", "artifacts are kept: baton artifact list " + app));
        });
      });
    }), v -> v);
  }

  /** See {@link AppView}. */
  private Future<JsonObject> view(String app) {
    return apps.get(app).compose(spec -> {
      if (spec.isEmpty()) {
        return Future.failedFuture(ApiException.notFound("no app " + app + "; create it with PUT /v1/apps/" + app));
      }
      var route = routes.get(app);
      var inst = instances.of(app);
      var history = releases.history(app);
      var status = statuses.get(app);
      return Future.all(route, inst, history, status).map(all -> {
        long now = System.currentTimeMillis();
        inst.result().forEach(i -> {
          if (i instanceof JsonObject o && metrics != null) {
            o.put("inFlight", metrics.inFlight(o.getString("id"), now));
          }
        });
        return AppView.of(spec.get(), route.result().orElse(null), inst.result(), history.result(), status.result(),
            fleet.liveness().states(), fleet.agentUrls(), System.currentTimeMillis());
      });
    });
  }

  /** A manual route override; refused while a release that is not paused controls the route. */
  void putRoute(RoutingContext ctx) {
    RegistryApi.reply(ctx, 200, RegistryApi.attempt(() -> {
      String app = Bodies.app(ctx);
      JsonObject body = Bodies.object(ctx);
      if (body.getValue("app") == null) {
        body.put("app", app);
      }
      RoutePolicy policy = RoutePolicy.fromRequest(body);
      if (!policy.app().equals(app)) {
        throw Bodies.invalid("app", "'" + policy.app() + "' differs from the app of the URL, " + app);
      }
      return apps.get(app).compose(spec -> spec.isEmpty()
          ? Future.failedFuture(ApiException.notFound("no app " + app + "; create it with PUT /v1/apps/" + app))
          : releases.active(app)).compose(active -> {
            if (active.isPresent() && !(active.get().phase() == ReleasePhase.PAUSED
                && ReleaseState.of(active.get()).common().paused())) {
              return Future.failedFuture(ApiException.conflict("release_in_progress", "release " + active.get().id()
                  + " controls the route of " + app + "; pause or abort it first"));
            }
            return instances.passing(app);
          }).compose(passing -> {
            Set<String> missing = new TreeSet<>();
            policy.split().stream().filter(w -> w.basisPoints() > 0).map(WeightedVersion::version)
                .filter(v -> !passing.containsKey(v)).forEach(missing::add);
            policy.rules().stream().map(RouteRule::version).filter(v -> !passing.containsKey(v)).forEach(missing::add);
            if (!missing.isEmpty()) {
              return Future.failedFuture(ApiException.conflict("version_not_running", "no passing instance of "
                  + missing + " for " + app + "; a route may only send traffic to running versions"));
            }
            return routes.writeOverride(policy, java.time.Instant.now().toString());
          });
    }), RoutePolicy::toJson);
  }
}
