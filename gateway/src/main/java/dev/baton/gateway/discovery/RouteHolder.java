package dev.baton.gateway.discovery;

import dev.baton.gateway.routing.AppRoute;
import dev.baton.gateway.routing.InstanceInfo;
import dev.baton.gateway.routing.RouteInputs;
import dev.baton.gateway.routing.RouteSource;
import dev.baton.gateway.routing.RouteTable;
import dev.baton.gateway.routing.RouteTableBuilder;
import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.UpstreamRegistry;
import dev.baton.gateway.routing.VersionRoute;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the route table in force: builds a new one from each {@link RouteInputs}, rebuilding only the apps whose
 * spec, policy or instances differ from the last inputs ({@link RouteTableBuilder#update}), swaps it in with one
 * volatile write, drops the runtime state of instances that left, and reports each app whose policy revision the
 * new table applies.
 */
public final class RouteHolder implements RouteSource {

  private static final Logger LOG = LoggerFactory.getLogger(RouteHolder.class);

  private final UpstreamRegistry upstreams;
  private final String defaultApp;
  private final ObjLongConsumer<String> revisionApplied;
  private final Consumer<List<Upstream>> dropped;
  private volatile RouteTable table = RouteTable.EMPTY;
  private volatile boolean ready;
  private RouteInputs lastInputs = RouteInputs.NONE;
  private final Map<String, Instant> appliedAt = new ConcurrentHashMap<>();

  public RouteHolder(UpstreamRegistry upstreams, String defaultApp, ObjLongConsumer<String> revisionApplied,
                     Consumer<List<Upstream>> dropped) {
    this.upstreams = upstreams;
    this.defaultApp = defaultApp;
    this.revisionApplied = revisionApplied;
    this.dropped = dropped;
  }

  @Override
  public RouteTable table() {
    return table;
  }

  @Override
  public boolean ready() {
    return ready;
  }

  @Override
  public Instant revisionAppliedAt(String app) {
    return appliedAt.get(app);
  }

  /** Builds and swaps in the table for {@code inputs}; called on the discovery context only. */
  public synchronized RouteTable apply(RouteInputs inputs) {
    long t0 = System.nanoTime();
    RouteTable previous = table;
    boolean first = !ready;
    Map<String, List<InstanceInfo>> byApp = inputs.byApp();
    Set<String> changed = first ? null : changedApps(lastInputs, inputs);
    RouteTable next = RouteTableBuilder.update(previous, inputs, changed, upstreams::obtain, defaultApp,
        System.currentTimeMillis());
    table = next;
    Instant swapped = Instant.now();
    ready = true;
    lastInputs = inputs;
    int gone = dropLeft(previous, changed, byApp);
    int applied = 0;
    // Only a changed app can have lost its policy (all of them on the first table).
    for (String name : changed == null ? Set.copyOf(appliedAt.keySet()) : changed) {
      if (next.app(name) == null || next.app(name).policy() == null) {
        appliedAt.remove(name);
      }
    }
    for (AppRoute app : next.apps()) {
      if (app.policy() == null || (changed != null && !changed.contains(app.name()))) {
        continue;
      }
      AppRoute before = previous.app(app.name());
      if (first || before == null || before.revision() != app.revision()
          || !Objects.equals(before.policy(), app.policy())) {
        appliedAt.put(app.name(), swapped);
        revisionApplied.accept(app.name(), app.revision());
        applied++;
      }
    }
    if (!next.problems().equals(previous.problems())) {
      next.problems().forEach(p -> LOG.warn("routing: {}", p));
    }
    if (first || gone > 0 || applied > 0 || changed.size() > 0) {
      LOG.info("route table: {} app(s), {} instance(s), {} rebuilt in {} ms{}", next.apps().size(),
          inputs.instanceCount(), changed == null ? next.apps().size() : changed.size(),
          (System.nanoTime() - t0) / 1_000_000, gone == 0 ? "" : ", " + gone + " left");
    }
    return next;
  }

  /** Drops the runtime state of instances that left (only a changed app can lose some); returns how many. */
  private int dropLeft(RouteTable previous, Set<String> changed, Map<String, List<InstanceInfo>> byApp) {
    boolean anyLeft = changed == null;
    if (!anyLeft) {
      for (String name : changed) {
        AppRoute before = previous.app(name);
        if (before == null) {
          continue;
        }
        Set<String> now = new HashSet<>();
        byApp.getOrDefault(name, List.of()).forEach(i -> now.add(i.key()));
        for (VersionRoute v : before.versions().values()) {
          for (Upstream u : v.upstreams()) {
            anyLeft |= !now.contains(u.info().key());
          }
        }
      }
    }
    if (!anyLeft) {
      return 0;
    }
    Set<String> live = new HashSet<>();
    byApp.values().forEach(list -> list.forEach(i -> live.add(i.key())));
    List<Upstream> gone = upstreams.retainOnly(live);
    if (!gone.isEmpty()) {
      dropped.accept(gone);
    }
    return gone.size();
  }

  /**
   * Apps whose spec, policy or instances differ between two inputs. An unchanged app's instances are the same list
   * in both ({@link RouteInputs}), so the comparison stops at the reference for them.
   */
  static Set<String> changedApps(RouteInputs before, RouteInputs after) {
    Set<String> names = new HashSet<>(before.specs().keySet());
    names.addAll(after.specs().keySet());
    names.addAll(before.policies().keySet());
    names.addAll(after.policies().keySet());
    names.addAll(before.byApp().keySet());
    names.addAll(after.byApp().keySet());
    Set<String> changed = new HashSet<>();
    for (String name : names) {
      if (!Objects.equals(before.specs().get(name), after.specs().get(name))
          || !Objects.equals(before.policies().get(name), after.policies().get(name))
          || !Objects.equals(before.byApp().get(name), after.byApp().get(name))) {
        changed.add(name);
      }
    }
    return changed;
  }
}
