package dev.baton.registry.release;

import dev.baton.common.bus.BatonEvent;
import dev.baton.common.model.AppSpec;
import dev.baton.common.model.HistoryEntry;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.registry.hooks.WebhookClient;
import dev.baton.registry.release.group.GroupGuard;
import dev.baton.registry.release.group.GroupLookup;
import dev.baton.registry.release.group.GroupView;
import dev.baton.registry.store.ConflictException;
import dev.baton.registry.store.Versioned;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs releases: one {@link ReleaseWatcher} per non-terminal release, each looking at the world,
 * asking {@link Planners} what to do, persisting the decided release (check-and-set) and only then
 * applying the actions through {@link ReleaseActions}. Everything runs on one Vert.x context, so the
 * watcher table needs no lock. A release whose progress stays blocked longer than the deadline aborts.
 */
public final class ReleaseController {

  private static final Logger LOG = LoggerFactory.getLogger(ReleaseController.class);

  /** Tuning: how often an idle release is looked at, the progress deadline, and this registry's id. */
  public record Settings(long tickMs, long progressDeadlineMs, int rollbackAttempts, String source) {
  }

  private final Context context;
  private final ReleaseActions actions;
  private final Settings settings;
  private final LongSupplier clock;
  private final Map<String, ReleaseWatcher> watchers = new HashMap<>();
  private final GateCalls gates;
  private final GroupLookup groups;
  private final PrometheusProbe prometheus;
  /** Names this process in a gate's state: a call asked by another process (a failover) is asked again. */
  private final String me;
  private boolean running;

  public ReleaseController(Vertx vertx, ReleaseActions actions, Settings settings, LongSupplier clock) {
    this(vertx, actions, settings, clock, GateCaller.http(new WebhookClient(vertx)));
  }

  public ReleaseController(Vertx vertx, ReleaseActions actions, Settings settings, LongSupplier clock,
                           GateCaller gates) {
    this(vertx, actions, settings, clock, gates, GroupLookup.NONE);
  }

  /** A controller whose releases may belong to release groups ({@link GroupGuard}). */
  public ReleaseController(Vertx vertx, ReleaseActions actions, Settings settings, LongSupplier clock,
                           GateCaller gates, GroupLookup groups) {
    this.groups = groups;
    this.context = vertx.getOrCreateContext();
    this.actions = actions;
    this.settings = settings;
    this.clock = clock;
    this.gates = new GateCalls(context, actions, gates, clock, this::save, this::publish, this::poke);
    this.me = settings.source() + "/" + java.util.UUID.randomUUID().toString().substring(0, 8);
    this.prometheus = new PrometheusProbe(new dev.baton.registry.hooks.PrometheusClient(vertx));
  }

  /** Starts accepting releases (on gaining leadership). */
  public void start() {
    context.runOnContext(v -> running = true);
  }

  /** Looks at {@code releaseId} now, starting a watcher for it when it has none. */
  public void poke(String releaseId) {
    context.runOnContext(v -> {
      if (!running) {
        return;
      }
      watchers.computeIfAbsent(releaseId, id -> {
        LOG.info("watching release {}", id);
        return new ReleaseWatcher(context, id, this::tick, w -> {
          watchers.remove(id);
          prometheus.forget(id);
          LOG.info("release {} is done", id);
        }).every(settings.tickMs());
      }).kick();
    });
  }

  /** Stops every watcher; completes once the actions in flight have finished. */
  public Future<Void> stop() {
    return Future.<Future<Void>>future(p -> context.runOnContext(v -> {
      running = false;
      List<Future<Void>> inFlight = new ArrayList<>();
      watchers.values().forEach(w -> inFlight.add(w.cancel()));
      watchers.clear();
      p.complete(Future.join(inFlight).<Void>mapEmpty().recover(e -> Future.succeededFuture()));
    })).compose(f -> f);
  }

  /** Number of releases being watched. */
  public Future<Integer> watching() {
    return Future.future(p -> context.runOnContext(v -> p.complete(watchers.size())));
  }

  /** One look at a release; says when to look again. */
  private Future<ReleaseWatcher.Next> tick(String id) {
    return actions.load(id).compose(found -> {
      if (found.isEmpty() || found.get().value().phase().isTerminal() || !running) {
        return Future.succeededFuture(ReleaseWatcher.Next.DONE);
      }
      Versioned<Release> current = found.get();
      Release r = current.value();
      if (r.phase() == ReleasePhase.PENDING) {
        Release next = r.transition(ReleasePhase.PROGRESSING, "started by " + settings.source(), at());
        return save(current, next).map(ReleaseWatcher.Next.NOW);
      }
      return groups.view(r).compose(group -> {
        Release aborted = GroupGuard.propagate(r, group, at());
        if (aborted != null) {
          return save(current, aborted).map(ReleaseWatcher.Next.NOW);
        }
        ReleaseState state = ReleaseState.of(r);
        if (state.common().paused() && !state.aborting()) {
          return Future.succeededFuture(ReleaseWatcher.Next.LATER);
        }
        return actions.spec(r.app())
            .compose(spec -> actions.observe(spec).compose(o -> prometheus.attach(r, o))
                .compose(observed -> decide(current, spec, observed, group)));
      }).recover(e -> e instanceof ConflictException ? Future.succeededFuture(ReleaseWatcher.Next.NOW)
          : Future.failedFuture(e));
    });
  }

  private Future<ReleaseWatcher.Next> decide(Versioned<Release> current, AppSpec spec, Observed observed,
                                             GroupView group) {
    PlanContext ctx = new PlanContext(spec, current.value(), observed);
    GateGuard.Gated gated = GateGuard.apply(ctx, GroupGuard.apply(ctx, SuspectGuard.apply(ctx, Planners.plan(ctx)),
        group), me);
    Decision decision = gated.decision();
    Release next = ProgressDeadline.apply(decision, current.value(), observed.nowMs(), settings.progressDeadlineMs(), at());
    boolean changed = !same(next, current.value());
    Future<Versioned<Release>> saved = changed ? save(current, next) : Future.succeededFuture(current);
    return saved.compose(v -> {
      gated.calls().forEach(gates::call);
      if (v.value().phase().isTerminal()) {
        return Future.succeededFuture(ReleaseWatcher.Next.DONE);
      }
      if (decision.actions().isEmpty() || ReleaseState.of(next).aborting()
          && !ReleaseState.of(current.value()).aborting()) {
        return Future.succeededFuture(changed ? ReleaseWatcher.Next.NOW : ReleaseWatcher.Next.LATER);
      }
      return apply(v.value(), spec, decision.actions()).map(ReleaseWatcher.Next.NOW);
    });
  }

  private Future<Void> apply(Release r, AppSpec spec, List<Action> todo) {
    List<Future<ActionResult>> results = new ArrayList<>();
    for (Action a : todo) {
      results.add(applyOne(r, spec, a).transform(ar -> Future.succeededFuture(
          ActionResult.of(a, ar.result(), ar.cause()))));
    }
    return Future.join(results).compose(all -> {
      List<ActionResult> done = results.stream().map(Future::result).toList();
      done.stream().filter(x -> x instanceof ActionResult.Failed f && f.kind() != ActionResult.Kind.PORT_BUSY)
          .forEach(x -> LOG.warn("release {}: {}", r.id(), ((ActionResult.Failed) x).message()));
      boolean worthRecording = done.stream().anyMatch(x -> !(x instanceof ActionResult.Done d) || d.note() != null);
      return worthRecording ? record(r.id(), done) : Future.succeededFuture();
    });
  }

  private Future<String> applyOne(Release r, AppSpec spec, Action a) {
    if (a instanceof Action.StartInstance s) {
      return actions.artifact(r.app(), s.version())
          .compose(ref -> actions.start(s.agentId(), VersionConfig.start(spec, s.version(), ref, s.port(), r.id(),
              r.configOf(s.version()))))
          .map(inst -> {
            publish(r, "release.instance.started", "started " + inst.id() + " on " + s.agentId(),
                new JsonObject().put("instance", inst.toJson()).put("agent", s.agentId()));
            return null;
          });
    }
    if (a instanceof Action.StopInstance s) {
      return actions.stop(s.agentId(), s.instanceId()).map(v -> {
        publish(r, "release.instance.stopped", "stopped " + s.instanceId() + " on " + s.agentId(),
            new JsonObject().put("instance", s.instanceId()).put("agent", s.agentId()));
        return null;
      });
    }
    Action.WriteRoute w = (Action.WriteRoute) a;
    return actions.writeRoute(w.policy()).map(written -> {
      publish(r, "release.route", "route revision " + written.written().revision() + " written",
          new JsonObject().put("route", written.written().toJson()));
      return written.note();
    });
  }

  /** Records the results on the release as it is now ({@link Outcomes}), again on a conflicting write. */
  private Future<Void> record(String id, List<ActionResult> results) {
    return actions.load(id).compose(found -> {
      if (found.isEmpty() || found.get().value().phase().isTerminal()) {
        return Future.succeededFuture();
      }
      Release next = Outcomes.record(found.get().value(), results, clock.getAsLong(), settings.rollbackAttempts());
      return save(found.get(), next).<Void>mapEmpty();
    }).recover(e -> e instanceof ConflictException ? record(id, results) : Future.failedFuture(e));
  }

  private Future<Versioned<Release>> save(Versioned<Release> current, Release next) {
    return actions.save(current, next).onSuccess(saved -> {
      if (saved.value().group() != null) {
        groups.saved(saved.value());
      }
      List<HistoryEntry> before = current.value().history();
      List<HistoryEntry> after = saved.value().history();
      ReleasePhase phase = current.value().phase();
      for (HistoryEntry e : after.subList(Math.min(before.size(), after.size()), after.size())) {
        String kind = e.phase() != phase ? "release." + e.phase().name().toLowerCase(Locale.ROOT) : "release.progress";
        phase = e.phase();
        publish(saved.value(), kind, e.message(), new JsonObject());
      }
      for (JsonObject interval : AnalysisHistory.added(current.value(), saved.value())) {
        publish(saved.value(), "release.analysis", interval.getString("reason"), interval.copy());
      }
    });
  }

  private void publish(Release r, String kind, String message, JsonObject data) {
    data.put("phase", r.phase().name()).put("step", r.step()).put("fromVersion", r.fromVersion())
        .put("toVersion", r.toVersion());
    if (r.group() != null) {
      data.put("group", r.group().id());
    }
    actions.publish(new BatonEvent(at(), kind, settings.source(), r.app(), r.id(), message, data));
  }

  private String at() {
    return Instant.ofEpochMilli(clock.getAsLong()).toString();
  }

  private static boolean same(Release a, Release b) {
    return new JsonObject(a.toJson().encode()).equals(new JsonObject(b.toJson().encode()));
  }
}
