package dev.baton.registry.release;

import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.RollingStrategy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rolling, surge: start up to {@code maxSurge} new instances beside the old ones, and stop old ones
 * only while routable capacity stays at least {@code desired - maxUnavailable}. A new instance counts
 * once it has been ready {@code minHealthySeconds}. Before each stop the route split follows the ready
 * capacity of each version, so the new version gets traffic as soon as it counts.
 *
 * <p>One look: pick the old instances the capacity allows to stop; (1) rewrite the route when it does
 * not match the ready capacity left without them; else (2) stop them and start the new instances the
 * surge allows, together; (3) done when no old instance is left and 100% goes to the new version.
 */
final class RollingSurgePlanner {

  private RollingSurgePlanner() {
  }

  static Decision plan(PlanContext ctx, RollingStrategy s) {
    Release r = Steps.trackHealthy(ctx, ctx.release(), ctx.release().toVersion());
    String to = r.toVersion();
    int n = ctx.desired();
    Observed o = ctx.observed();
    List<ObservedInstance> matured = Steps.matured(ctx, r, to, s.minHealthySeconds());
    List<ObservedInstance> activeNew = o.active(to);
    List<ObservedInstance> old = o.activeExcept(to);
    List<ObservedInstance> oldReady = old.stream().filter(ObservedInstance::ready).toList();

    int routable = matured.size() + oldReady.size();
    int stopCount = Math.min(old.size(), Math.max(0, routable - (n - s.maxUnavailable())));
    int startCount = Math.max(0, Math.min(n - activeNew.size(), n + s.maxSurge() - activeNew.size() - old.size()));
    List<ObservedInstance> ordered = new ArrayList<>(old);
    ordered.sort(Comparator.comparing(ObservedInstance::ready).thenComparing(ObservedInstance::id));
    List<ObservedInstance> victims = ordered.subList(0, stopCount);

    // The route follows the ready capacity that remains once the victims are gone, so it never points
    // at a version whose last instance is about to stop; it is written before any stop.
    Map<String, Integer> capacity = new TreeMap<>();
    oldReady.stream().filter(i -> !victims.contains(i)).forEach(i -> capacity.merge(i.version(), 1, Integer::sum));
    if (!matured.isEmpty()) {
      capacity.put(to, matured.size());
    }
    if (!capacity.isEmpty()) {
      Action route = Steps.route(ctx, RouteSplits.proportional(ctx.app(), capacity));
      if (route != null) {
        return Decision.act(Steps.progressing(ctx, r, "routing by ready capacity: " + capacity), route);
      }
    }
    if (old.isEmpty() && matured.size() >= n) {
      return Steps.finish(ctx, r, ReleasePhase.SUCCEEDED, n + " instance(s) of " + to + " serve 100% of traffic");
    }
    List<Action> actions = new ArrayList<>(Steps.stop(victims));
    List<Action> starts = Steps.scaleUp(ctx, to, activeNew.size() + startCount);
    actions.addAll(starts);
    if (!actions.isEmpty()) {
      return Decision.act(Steps.progressing(ctx, r, "rolling " + to + ": " + matured.size() + "/" + n
          + " new ready, " + old.size() + " old left; stopping " + stopCount + ", starting " + starts.size()), actions);
    }
    if (activeNew.size() < n && startCount > 0) {
      return Steps.waitReady(ctx, r, to, n);
    }
    return Decision.blocked(Steps.progressing(ctx, r, "rolling " + to + ": waiting for new instances to be ready "
        + s.minHealthySeconds() + "s (" + matured.size() + "/" + n + " counted)"));
  }
}
