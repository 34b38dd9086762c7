package dev.baton.registry.reconcile;

import dev.baton.common.bus.BatonEvent;
import dev.baton.common.model.AppSpec;
import dev.baton.common.model.ConfigOverrides;
import dev.baton.common.model.Release;
import dev.baton.registry.release.Action;
import dev.baton.registry.release.ReleaseActions;
import dev.baton.registry.release.VersionConfig;
import dev.baton.registry.store.AppStore;
import dev.baton.registry.store.ReleaseStore;
import dev.baton.registry.store.Versioned;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's self-healing loop (docs/ARCHITECTURE.md, Registry, "Self-healing"): every {@code BATON_RECONCILE_MS},
 * for each app whose route sends all traffic to one version and that has no release in progress, it observes the
 * app as releases do, asks {@link ReconcilePlanner} what to do, stores the app's status in KV and applies the
 * actions through the same {@link ReleaseActions} as releases (starts with the version's config from
 * {@link VersionConfig}, drained stops), publishing an
 * {@code app.reconcile.*} event for each. One pass per app at a time; a failed start backs off (2 s doubling to
 * 60 s) so it never loops hot. Each change of a host's state is a {@code host.live|suspect|lost} event. Runs on
 * one Vert.x context; started and stopped with the leader lock.
 */
public final class Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final long BACKOFF_BASE_MS = 2_000;
  private static final long BACKOFF_MAX_MS = 60_000;

  /** How often apps are looked at, and this registry's id (the events' source). */
  public record Settings(long everyMs, String source) {
  }

  private record Retry(int failures, long atMs, String why) {
  }

  private final Vertx vertx;
  private final Context context;
  private final AppStore apps;
  private final ReleaseStore releases;
  private final ReleaseActions actions;
  private final AppStatusStore statuses;
  private final Settings settings;
  private final LongSupplier clock;
  private final Supplier<Map<String, HostState>> hosts;
  private final Map<String, HostState> lastHosts = new HashMap<>();
  private final Set<String> failing = new HashSet<>();
  private final Map<String, Future<Void>> passes = new HashMap<>();
  private final Map<String, Retry> retries = new HashMap<>();
  private boolean hostsPrimed;
  private long timer = -1;
  private boolean running;

  public Reconciler(Vertx vertx, AppStore apps, ReleaseStore releases, ReleaseActions actions, AppStatusStore statuses,
                    Supplier<Map<String, HostState>> hosts, Settings settings, LongSupplier clock) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.apps = apps;
    this.releases = releases;
    this.actions = actions;
    this.statuses = statuses;
    this.settings = settings;
    this.clock = clock;
    this.hosts = hosts;
  }

  /** Starts looking at apps (on gaining leadership). */
  public void start() {
    context.runOnContext(v -> {
      if (running) {
        return;
      }
      running = true;
      retries.clear();
      lastHosts.clear();
      hostsPrimed = false;
      timer = vertx.setPeriodic(settings.everyMs(), id -> tick());
      tick();
    });
  }

  /** Stops looking; completes once the passes in flight have finished. */
  public Future<Void> stop() {
    return Future.<Future<Void>>future(p -> context.runOnContext(v -> {
      running = false;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      p.complete(Future.join(new ArrayList<>(passes.values())).<Void>mapEmpty().recover(e -> Future.succeededFuture()));
    })).compose(f -> f);
  }

  private void tick() {
    if (!running) {
      return;
    }
    hostEvents();
    apps.list().onSuccess(all -> all.forEach(spec -> {
      if (running && !passes.containsKey(spec.name())) {
        Future<Void> pass = pass(spec).map(v -> {
          if (failing.remove(spec.name())) {
            LOG.info("reconciling {} works again", spec.name());
          }
          return v;
        }).recover(e -> {
          if (failing.add(spec.name())) { // once per streak: a Consul outage would log every tick
            LOG.warn("reconciling {}: {}", spec.name(), e.toString());
          }
          return Future.succeededFuture();
        });
        passes.put(spec.name(), pass);
        pass.onComplete(ar -> passes.remove(spec.name()));
      }
    })).onFailure(e -> LOG.debug("reconciler cannot list apps: {}", e.toString()));
  }

  /** A {@code host.<state>} event per host whose state changed since the last tick (none for the first look). */
  private void hostEvents() {
    Map<String, HostState> now = hosts.get();
    boolean first = !hostsPrimed;
    hostsPrimed = true;
    now.forEach((agent, state) -> {
      HostState before = lastHosts.put(agent, state);
      if (!first && before != state) {
        String kind = "host." + state.name().toLowerCase(java.util.Locale.ROOT);
        String message = "agent " + agent + " is " + state.name() + (before == null ? "" : " (was " + before.name() + ")");
        LOG.info(message);
        actions.publish(new BatonEvent(at(), kind, settings.source(), null, agent, message,
            new JsonObject().put("agent", agent).put("state", state.name())
                .put("was", before == null ? null : before.name())));
      }
    });
  }

  private Future<Void> pass(AppSpec spec) {
    String app = spec.name();
    return releases.list(app).compose(all -> {
      List<Release> history = all.stream().map(Versioned::value).toList();
      if (history.stream().anyMatch(r -> !r.phase().isTerminal())) {
        return Future.succeededFuture();
      }
      return actions.observe(spec).compose(o -> {
        String version = ReconcilePlanner.currentVersion(o.route());
        if (version == null || !running) {
          return Future.succeededFuture();
        }
        Retry retry = retries.get(app);
        ReconcilePlanner.Plan plan = ReconcilePlanner.plan(spec, version, o, retry == null ? 0 : retry.atMs(),
            retry == null ? null : retry.why(), ReconcilePlanner.Warm.of(history, o.nowMs()));
        if (plan.status() == AppHealth.OK) {
          retries.remove(app); // restored, by a release or by hand: an old failure says nothing any more
        }
        return statuses.get(app).compose(prev -> judge(app, prev, plan, version, spec.instances()))
            .compose(status -> apply(spec, VersionConfig.of(history, version), plan, status));
      });
    });
  }

  /** Stores the plan's status when it changed; a change to or from DEGRADED is an event. */
  private Future<AppStatus> judge(String app, Optional<AppStatus> prev, ReconcilePlanner.Plan plan, String version,
                                  int desired) {
    AppStatus base = prev.orElse(new AppStatus(app, AppHealth.OK, null, version, desired, at(), null));
    AppStatus next = base.judged(plan.status(), plan.reason(), version, desired, at());
    if (prev.isPresent() && next.equals(prev.get())) {
      return Future.succeededFuture(next);
    }
    AppHealth before = prev.map(AppStatus::status).orElse(null);
    if (next.status() == AppHealth.DEGRADED && before != AppHealth.DEGRADED) {
      publish(app, "app.reconcile.degraded", plan.reason(), new JsonObject());
      LOG.warn("app {} is degraded: {}", app, plan.reason());
    } else if (next.status() == AppHealth.OK && before != null && before != AppHealth.OK) {
      publish(app, "app.reconcile.restored", plan.reason(), new JsonObject());
      LOG.info("app {} is restored: {}", app, plan.reason());
    }
    return statuses.put(next).map(next);
  }

  private Future<Void> apply(AppSpec spec, ConfigOverrides config, ReconcilePlanner.Plan plan, AppStatus status) {
    if (plan.actions().isEmpty()) {
      return Future.succeededFuture();
    }
    LOG.info("reconciling {}: {}", spec.name(), plan.reason());
    List<Future<String>> done = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Action a : plan.actions()) {
      done.add(applyOne(spec, config, a).recover(e -> {
        failures.add(e.getMessage());
        return Future.succeededFuture(failure(spec.name(), a, e));
      }));
    }
    return Future.join(done).compose(all -> {
      AppStatus next = status;
      for (Future<String> f : done) {
        next = next.acted(f.result(), at());
      }
      if (!failures.isEmpty()) {
        Retry before = retries.get(spec.name());
        int n = before == null ? 1 : before.failures() + 1;
        long wait = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS << Math.min(n - 1, 10));
        retries.put(spec.name(), new Retry(n, clock.getAsLong() + wait, String.join("; ", failures)));
        String why = plan.reason() + "; " + String.join("; ", failures) + "; retrying in " + wait / 1000 + "s";
        if (next.status() != AppHealth.DEGRADED) {
          publish(spec.name(), "app.reconcile.degraded", why, new JsonObject());
        }
        next = next.judged(AppHealth.DEGRADED, why, next.version(), next.desired(), at());
      } else if (plan.actions().stream().anyMatch(a -> a instanceof Action.StartInstance)) {
        retries.remove(spec.name());
      }
      return statuses.put(next);
    });
  }

  private Future<String> applyOne(AppSpec spec, ConfigOverrides config, Action a) {
    String app = spec.name();
    if (a instanceof Action.StartInstance s) {
      return actions.artifact(app, s.version())
          .compose(ref -> actions.start(s.agentId(), VersionConfig.start(spec, s.version(), ref, null, null, config)))
          .map(inst -> {
            String what = "started " + inst.id() + " on agent " + s.agentId() + " to restore " + spec.instances()
                + " instance(s) of " + s.version();
            publish(app, "app.reconcile.started", what, new JsonObject().put("instance", inst.toJson())
                .put("agent", s.agentId()));
            return what;
          });
    }
    if (a instanceof Action.StopInstance s) {
      return actions.stop(s.agentId(), s.instanceId()).map(v -> {
        String what = "stopped surplus " + s.instanceId() + " (" + s.version() + ") on agent " + s.agentId()
            + " after draining it";
        publish(app, "app.reconcile.stopped", what, new JsonObject().put("instance", s.instanceId())
            .put("agent", s.agentId()).put("version", s.version()));
        return what;
      });
    }
    return Future.failedFuture(new IllegalStateException("the reconciler does not write routes: " + a));
  }

  private String failure(String app, Action a, Throwable e) {
    String what = (a instanceof Action.StartInstance s ? "starting " + s.version() + " on agent " + s.agentId()
        : a instanceof Action.StopInstance s ? "stopping " + s.instanceId() + " on agent " + s.agentId() : "acting")
        + " failed: " + e.getMessage();
    publish(app, "app.reconcile.failed", what, new JsonObject());
    LOG.warn("reconciling {}: {}", app, what);
    return what;
  }

  private void publish(String app, String kind, String message, JsonObject data) {
    actions.publish(new BatonEvent(at(), kind, settings.source(), app, app, message, data));
  }

  private String at() {
    return Instant.ofEpochMilli(clock.getAsLong()).toString();
  }
}
