package dev.baton.registry.api;

import dev.baton.common.http.ApiException;
import dev.baton.common.model.AbortRequest;
import dev.baton.common.model.BlueGreenStrategy;
import dev.baton.common.model.Gate;
import dev.baton.common.model.HistoryEntry;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleaseConfig;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.ReleaseRequest;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.Strategy;
import dev.baton.common.model.StrategyTiming;
import dev.baton.registry.release.Progress;
import dev.baton.registry.release.ReleaseController;
import dev.baton.registry.release.ReleaseOperations;
import dev.baton.registry.release.RouteSplits;
import dev.baton.registry.release.VersionConfig;
import dev.baton.registry.store.AppStore;
import dev.baton.registry.store.ArtifactStore;
import dev.baton.registry.store.ConflictException;
import dev.baton.registry.store.InvalidArtifactException;
import dev.baton.registry.store.ReleaseStore;
import dev.baton.registry.store.RouteStore;
import dev.baton.registry.store.Versioned;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Creating releases and applying operator operations: the checks of DESIGN.md §9 (unknown app 404,
 * never-uploaded version 422, second active release 409), then a check-and-set write, then a poke to the
 * controller. Creation is serialised per app on the leader, so two racing requests cannot both start one.
 */
public final class ReleaseService {

  /** Finds the version currently serving an app when it has no route policy yet (e.g. from Consul). */
  public interface CurrentVersion {
    Future<Optional<String>> of(String app);
  }

  /** Passing instance count per version of an app (from Consul). */
  public interface PassingCounts {
    Future<Map<String, Integer>> of(String app);
  }

  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private final AppStore apps;
  private final RouteStore routes;
  private final ReleaseStore releases;
  private final ArtifactStore artifacts;
  private final CurrentVersion running;
  private final PassingCounts passing;
  private final ReleaseController controller;
  private final Map<String, Future<?>> perApp = new HashMap<>();
  private final PrometheusQueryCheck queries;

  public ReleaseService(AppStore apps, RouteStore routes, ReleaseStore releases, ArtifactStore artifacts,
                        CurrentVersion running, PassingCounts passing, ReleaseController controller) {
    this(apps, routes, releases, artifacts, running, passing, controller, null);
  }

  /** With {@code prometheus}, an analysis's queries are checked at creation ({@link PrometheusQueryCheck}). */
  public ReleaseService(AppStore apps, RouteStore routes, ReleaseStore releases, ArtifactStore artifacts,
                        CurrentVersion running, PassingCounts passing, ReleaseController controller,
                        dev.baton.registry.hooks.PrometheusClient prometheus) {
    this.queries = new PrometheusQueryCheck(prometheus);
    this.apps = apps;
    this.routes = routes;
    this.releases = releases;
    this.artifacts = artifacts;
    this.running = running;
    this.passing = passing;
    this.controller = controller;
  }

  public Future<Release> create(String app, ReleaseRequest request) {
    return serially(app, () -> prepare(app, request).compose(this::store));
  }

  /**
   * The release {@code request} would start, checked (unknown app 404, version never uploaded 422, an active release or
   * the version already current 409, a Prometheus query Prometheus refuses 400) but not stored: a release group stores its members together. The caller holds
   * the app ({@link #exclusively}).
   */
  public Future<Release> prepare(String app, ReleaseRequest request) {
    return checks(app, request.version()).compose(from -> {
      if (request.version().equals(from)) {
        return gap(app, from).compose(gap -> Future.failedFuture(ApiException.conflict("already_current", "app " + app
            + " already runs " + from + gap + "; release another version, or roll back with POST /v1/apps/" + app
            + "/rollback")));
      }
      return queries.check(app, from, request.version(), request.strategy()).compose(ok -> history(app))
          .map(h -> newRelease(app, from, request.version(), request.strategy(),
          "release of " + app + " from " + (from == null ? "nothing" : from) + " to " + request.version() + " by "
              + request.strategy().type() + (request.config().isEmpty() ? "" : " with config overrides")
              + (request.gates().isEmpty() ? "" : " with " + request.gates().size() + " gate(s)"),
          new JsonObject(), new ReleaseConfig(request.config(), VersionConfig.of(h, from)), request.gates()));
    });
  }

  /** A release back to the version the last successful release replaced, warm instances first. */
  public Future<Release> rollback(String app) {
    return rollback(app, null);
  }

  /**
   * A release back to {@code to} (null: the version the last successful release replaced), warm instances first,
   * with the config that version last ran with (docs/ARCHITECTURE.md, "Config rolls back with the code").
   */
  public Future<Release> rollback(String app, String to) {
    return serially(app, () -> apps.get(app).compose(spec -> spec.isEmpty()
        ? Future.failedFuture(ApiException.notFound("no app " + app + "; create it with PUT /v1/apps/" + app))
        : releases.list(app)).compose(all -> {
      List<Release> history = all.stream().map(Versioned::value).toList();
      Optional<Release> last = history.stream().filter(r -> r.phase() == ReleasePhase.SUCCEEDED
          && r.fromVersion() != null).reduce((a, b) -> b);
      if (to == null && last.isEmpty()) {
        return Future.failedFuture(ApiException.conflict("no_previous_version", "app " + app
            + " has no successful release with a previous version to roll back to"));
      }
      String previous = to != null ? to : last.get().fromVersion();
      return checks(app, previous).compose(from -> {
        if (previous.equals(from)) {
          return Future.failedFuture(ApiException.conflict("already_current", "app " + app + " already runs "
              + previous + (to != null ? "" : ", the version before " + last.get().toVersion())));
        }
        Strategy flip = new BlueGreenStrategy(BlueGreenStrategy.DEFAULT_PREVIEW, 0, 0, StrategyTiming.DEFAULT);
        JsonObject progress = to != null ? new JsonObject() : new JsonObject().put(Progress.ROLLBACK_OF, last.get().id());
        return store(newRelease(app, from, previous, flip, "rollback of " + app + " from " + from + " to " + previous
            + (to != null ? "" : " (undoing " + last.get().id() + ")"), progress,
            new ReleaseConfig(VersionConfig.of(history, previous), VersionConfig.of(history, from))));
      });
    }));
  }

  public Future<Release> operate(String id, ReleaseOperations.Op op) {
    return operate(id, op, AbortRequest.IMMEDIATE);
  }

  /** An operation; {@code abort} says how an abort goes (at once, or a canary's gradual step-down). */
  public Future<Release> operate(String id, ReleaseOperations.Op op, AbortRequest abort) {
    return releases.get(id).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(ApiException.notFound("no release " + id));
      }
      Release next = ReleaseOperations.apply(op, found.get().value(), Instant.now(), abort);
      return releases.save(found.get(), next).map(Versioned::value);
    }).recover(e -> e instanceof ConflictException ? operate(id, op, abort) : Future.failedFuture(e))
        .onSuccess(r -> controller.poke(r.id()));
  }

  /** The app exists, the version was uploaded, no release is active; yields the version serving now. */
  private Future<String> checks(String app, String version) {
    return apps.get(app).compose(spec -> {
      if (spec.isEmpty()) {
        return Future.failedFuture(ApiException.notFound("no app " + app + "; create it with PUT /v1/apps/" + app));
      }
      return artifacts.meta(app, version).recover(e -> Future.failedFuture(e instanceof InvalidArtifactException
          ? new ApiException(422, "artifact_invalid", e.getMessage()) : e));
    }).compose(meta -> {
      if (meta.isEmpty()) {
        return Future.failedFuture(new ApiException(422, "artifact_missing", "version " + version + " of " + app
            + " was never uploaded; PUT /v1/artifacts/" + app + "/" + version + " first"));
      }
      return active(app);
    }).compose(active -> {
      if (active.isPresent()) {
        Release r = active.get();
        return Future.failedFuture(ApiException.conflict("release_in_progress", "release " + r.id() + " of " + app
            + " is " + r.phase() + "; wait for it, or abort it with POST /v1/releases/" + r.id() + "/abort"));
      }
      return routes.get(app).compose(route -> route.map(RoutePolicy::split).isPresent()
          ? Future.succeededFuture(RouteSplits.dominant(route.get())) : running.of(app).map(v -> v.orElse(null)));
    });
  }

  /**
   * Re-releasing the current version is refused, but never hides a gap: when fewer than {@code instances} of it pass,
   * the answer says so and that the reconciler restores them (docs/ARCHITECTURE.md, Registry, "Self-healing").
   */
  private Future<String> gap(String app, String version) {
    return apps.get(app).compose(spec -> passing.of(app).map(counts -> {
      int n = spec.map(s -> s.instances()).orElse(0);
      int p = counts.getOrDefault(version, 0);
      return p >= n ? "" : ", but only " + p + " of " + n + " instance(s) pass: the registry's reconciler is restoring"
          + " them (GET /v1/apps/" + app + " shows its status and reason)";
    })).recover(e -> Future.succeededFuture(""));
  }

  /** Every release of the app, oldest first. */
  public Future<List<Release>> history(String app) {
    return releases.list(app).map(all -> all.stream().map(Versioned::value).toList());
  }

  /** The app's release that is not terminal yet, if any. */
  public Future<Optional<Release>> active(String app) {
    return history(app).map(ReleaseService::activeOf);
  }

  /** The release of {@code history} (oldest first) that is not terminal yet, if any. */
  static Optional<Release> activeOf(List<Release> history) {
    return history.stream().filter(r -> !r.phase().isTerminal()).reduce((a, b) -> b);
  }

  private Future<Release> store(Release r) {
    return releases.create(r).map(Versioned::value).onSuccess(created -> controller.poke(created.id()));
  }

  private static Release newRelease(String app, String from, String to, Strategy strategy, String message,
                                    JsonObject progress, ReleaseConfig config) {
    return newRelease(app, from, to, strategy, message, progress, config, List.of());
  }

  private static Release newRelease(String app, String from, String to, Strategy strategy, String message,
                                    JsonObject progress, ReleaseConfig config, List<Gate> gates) {
    String now = Instant.now().toString();
    String id = app + "." + ID_TIME.format(Instant.now()) + "-"
        + Integer.toHexString(0x10000 + ThreadLocalRandom.current().nextInt(0xffff)).substring(1);
    return new Release(id, app, from, to, strategy, ReleasePhase.PENDING, 0, message,
        List.of(new HistoryEntry(now, ReleasePhase.PENDING, message)), progress, config, gates);
  }

  /** Runs {@code work} for {@code app} with no release of that app being created at the same time. */
  public <T> Future<T> exclusively(String app, java.util.function.Supplier<Future<T>> work) {
    return serially(app, work);
  }

  /** Runs {@code work} after the previous work for {@code app} finished (the caller is on one context). */
  private <T> Future<T> serially(String app, java.util.function.Supplier<Future<T>> work) {
    Future<?> previous = perApp.getOrDefault(app, Future.succeededFuture());
    Future<T> next = previous.transform(ar -> work.get());
    perApp.put(app, next);
    return next.onComplete(ar -> perApp.remove(app, next));
  }

}
