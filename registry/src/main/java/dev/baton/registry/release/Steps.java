package dev.baton.registry.release;

import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.RoutePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Building blocks the strategy planners share; each is idempotent: it asks only for what is missing. */
final class Steps {

  private Steps() {
  }

  /** The release as PROGRESSING when it was PENDING or PAUSED by a strategy step that is over. */
  static Release progressing(PlanContext ctx, Release r, String message) {
    return ctx.to(r, ReleasePhase.PROGRESSING, message);
  }

  /** Start actions bringing active instances of {@code version} up to {@code n}, spread across agents. */
  static List<Action> scaleUp(PlanContext ctx, String version, int n) {
    int missing = n - ctx.observed().active(version).size();
    List<Action> out = new ArrayList<>();
    if (missing <= 0) {
      return out;
    }
    for (String agent : Placement.agentsFor(ctx.observed(), version, missing)) {
      out.add(new Action.StartInstance(agent, version, null));
    }
    return out;
  }

  /** Stop actions for {@code instances}. */
  static List<Action> stop(List<ObservedInstance> instances) {
    return instances.stream().<Action>map(i -> new Action.StopInstance(i.agentId(), i.id(), i.version())).toList();
  }

  /** A route write when the policy in force does not already send traffic as {@code desired} does; else null. */
  static Action route(PlanContext ctx, RoutePolicy desired) {
    return RouteSplits.sameTraffic(ctx.observed().route(), desired) ? null : new Action.WriteRoute(desired);
  }

  /** Why instances cannot be started, when no agent is live. */
  static String noAgents() {
    return "no live agent to start instances on; waiting for a baton-agent to pass its Consul check";
  }

  /** Records when each ready instance of {@code version} was first seen ready (for minHealthySeconds). */
  static Release trackHealthy(PlanContext ctx, Release r, String version) {
    Map<String, Long> since = ReleaseState.of(r).common().healthySince();
    Map<String, Long> next = new LinkedHashMap<>();
    for (ObservedInstance i : ctx.observed().ready(version)) {
      next.put(i.id(), since.getOrDefault(i.id(), ctx.now()));
    }
    return ReleaseState.withCommon(r, c -> c.withHealthySince(next));
  }

  /** Ready instances of {@code version} that stayed ready at least {@code minHealthySeconds}. */
  static List<ObservedInstance> matured(PlanContext ctx, Release r, String version, int minHealthySeconds) {
    Map<String, Long> since = ReleaseState.of(r).common().healthySince();
    return ctx.observed().ready(version).stream()
        .filter(i -> ctx.now() - since.getOrDefault(i.id(), ctx.now()) >= minHealthySeconds * 1000L).toList();
  }

  /**
   * {@code ctx}'s release with the first-seen-ready times of {@code version}'s instances when the strategy counts an
   * instance only after {@code minHealthySeconds}; unchanged when it counts them at once.
   */
  static Release tracked(PlanContext ctx, String version, int minHealthySeconds) {
    return minHealthySeconds > 0 ? trackHealthy(ctx, ctx.release(), version) : ctx.release();
  }

  /**
   * Null once {@code n} instances of {@code version} are ready and each stayed ready {@code minHealthySeconds};
   * else the decision that waits for them, blocked on the world (the progress deadline runs). {@code r} carries the
   * first-seen-ready times ({@link #tracked}), persisted with the decision.
   */
  static Decision awaitMatured(PlanContext ctx, Release r, String version, int n, int minHealthySeconds) {
    if (ctx.observed().ready(version).size() < n) {
      return waitReady(ctx, r, version, n);
    }
    int counted = matured(ctx, r, version, minHealthySeconds).size();
    return counted >= n ? null : Decision.blocked(progressing(ctx, r, "waiting for " + n + " instance(s) of " + version
        + " to stay ready " + minHealthySeconds + "s (minHealthySeconds; " + counted + "/" + n + " counted)"));
  }

  /** The release finished in {@code phase}. */
  static Decision finish(PlanContext ctx, Release r, ReleasePhase phase, String message) {
    return Decision.idle(ctx.to(r, phase, message));
  }

  /** Waiting for {@code n} ready instances of {@code version}, or for an agent. */
  static Decision waitReady(PlanContext ctx, Release r, String version, int n) {
    if (ctx.observed().liveAgents().isEmpty()) {
      return Decision.blocked(ctx.note(r, noAgents()));
    }
    return Decision.blocked(ctx.note(r, "waiting for " + n + " ready instance(s) of " + version + ", "
        + ctx.observed().ready(version).size() + " so far"));
  }
}
